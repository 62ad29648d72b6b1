import { createServices, type Services } from '@roster/api';
import { loadEnv, requireEnv } from '@roster/config';
import { isLoopbackHost, loadPermissionCatalogue } from '@roster/core';

let services: Promise<Services> | undefined;
const env = loadEnv();
// Read when the server loads (hooks import this): a bad ROSTER_PERMISSIONS_FILE stops it with the reason, not the first request.
loadPermissionCatalogue(env.ROSTER_PERMISSIONS_FILE);

/** One set of services per web process, opened on first use and closed on shutdown. */
export function getServices(): Promise<Services> {
  if (!services) {
    services = createServices({
      databaseUrl: requireEnv(env, 'DATABASE_URL'),
      redisUrl: requireEnv(env, 'REDIS_URL'),
      dataDir: env.ROSTER_DATA_DIR,
      setupTokenRequired: setupTokenRequired(),
      permissionsFile: env.ROSTER_PERMISSIONS_FILE,
    });
  }
  return services;
}

/**
 * Whether people reach the instance over https. ROSTER_PUBLIC_URL decides
 * when set (a TLS proxy in front may talk plain http to us); otherwise the
 * request's own scheme does.
 */
export function reachedOverHttps(requestUrl: URL): boolean {
  return env.ROSTER_PUBLIC_URL ? new URL(env.ROSTER_PUBLIC_URL).protocol === 'https:' : requestUrl.protocol === 'https:';
}

/** Where the instance says people reach it, for links it prints. */
export function publicBaseUrl(): string {
  if (env.ROSTER_PUBLIC_URL) return env.ROSTER_PUBLIC_URL.replace(/\/+$/, '');
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${env.PORT}`;
}

/** A server reachable beyond loopback asks for the printed setup token before the first owner. */
export function setupTokenRequired(): boolean {
  return !isLoopbackHost(env.HOST);
}

process.once('sveltekit:shutdown' as never, async () => {
  if (services) await (await services).close();
});
