import { createServices, type Services } from '@roster/api';
import { loadEnv, requireEnv } from '@roster/config';

let services: Promise<Services> | undefined;

/** One set of services per web process, opened on first use and closed on shutdown. */
export function getServices(): Promise<Services> {
  services ??= createServices({ databaseUrl: requireEnv(loadEnv(), 'DATABASE_URL') });
  return services;
}

process.once('sveltekit:shutdown' as never, async () => {
  if (services) await (await services).close();
});
