import { loadEnv, requireEnv } from '@roster/config';
import { isLoopbackHost, issueSetupToken, loadPermissionCatalogue } from '@roster/core';
import type { EntityManager } from '@roster/db';
import { createServices, type Services } from './services.ts';

/**
 * What the web process knows about itself, read from its environment once:
 * its services (one set per process, shared by the API handler in front of
 * SvelteKit and by the pages), whether people reach it over https, and the
 * base URL it prints.
 */
const env = loadEnv();
const publicUrl = env.ROSTER_PUBLIC_URL ? new URL(env.ROSTER_PUBLIC_URL) : null;
let services: Promise<Services> | undefined;
// Read as the web process loads this module: a bad ROSTER_PERMISSIONS_FILE stops it with the reason, not its first request.
loadPermissionCatalogue(env.ROSTER_PERMISSIONS_FILE);

/** Opened on first use; closed by the web server on shutdown (closeInstanceServices). */
export function instanceServices(): Promise<Services> {
  services ??= createServices({
    databaseUrl: requireEnv(env, 'DATABASE_URL'),
    redisUrl: requireEnv(env, 'REDIS_URL'),
    dataDir: env.ROSTER_DATA_DIR,
    setupTokenRequired: setupTokenRequired(),
    permissionsFile: env.ROSTER_PERMISSIONS_FILE,
    apiKeyCallsPerMinute: env.ROSTER_API_KEY_RATE,
  }).catch((err: unknown) => {
    // PostgreSQL not reachable yet: the next request (or /readyz probe) tries again instead of failing forever.
    services = undefined;
    throw err;
  });
  return services;
}

export async function closeInstanceServices(): Promise<void> {
  const open = services;
  services = undefined;
  if (open) await (await open).close();
}

/**
 * Whether people reach the instance over https. ROSTER_PUBLIC_URL decides
 * when set (a TLS proxy in front may talk plain http to us); otherwise the
 * request's own scheme does.
 */
export function reachedOverHttps(requestIsHttps: boolean): boolean {
  return publicUrl ? publicUrl.protocol === 'https:' : requestIsHttps;
}

/** Where the instance says people reach it, for links it prints. */
export function publicBaseUrl(): string {
  if (publicUrl) return publicUrl.href.replace(/\/+$/, '');
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${env.PORT}`;
}

/** A server reachable beyond loopback asks for the printed setup token before the first owner. */
export function setupTokenRequired(): boolean {
  return !isLoopbackHost(env.HOST);
}

/**
 * First run on a server reachable beyond loopback: print a one-time link
 * carrying the setup token (as Jenkins prints its initial admin password),
 * so only whoever reads this process's output can claim the instance.
 * `npm start` and the Docker image both show the web process's output.
 */
export async function announceSetupToken(): Promise<void> {
  if (!setupTokenRequired()) return;
  try {
    const { orm } = await instanceServices();
    const token = await issueSetupToken(orm.em.fork() as EntityManager);
    if (token) console.log(`roster: no owner yet; create one at ${publicBaseUrl()}/setup?token=${token}`);
  } catch (err) {
    console.error(`roster: could not issue a setup token: ${(err as Error).message}`);
  }
}
