import { createServices, type Services } from '@roster/api';
import { loadEnv, requireEnv } from '@roster/config';

let services: Promise<Services> | undefined;

/** One set of services per web process, opened on first use and closed on shutdown. */
export function getServices(): Promise<Services> {
  if (!services) {
    const env = loadEnv();
    services = createServices({
      databaseUrl: requireEnv(env, 'DATABASE_URL'),
      redisUrl: requireEnv(env, 'REDIS_URL'),
      dataDir: env.ROSTER_DATA_DIR,
    });
  }
  return services;
}

process.once('sveltekit:shutdown' as never, async () => {
  if (services) await (await services).close();
});
