import { issueSetupToken } from '@roster/core';
import type { EntityManager } from '@roster/db';
import { getServices, publicBaseUrl, setupTokenRequired } from './services.ts';

/**
 * First run on a server reachable beyond loopback: print a one-time link
 * carrying the setup token (as Jenkins prints its initial admin password),
 * so only whoever reads this process's output can claim the instance.
 * `npm start` and the Docker image both show the web process's output.
 */
export async function announceSetupToken(): Promise<void> {
  if (!setupTokenRequired()) return;
  try {
    const services = await getServices();
    const token = await issueSetupToken(services.orm.em.fork() as EntityManager);
    if (token) console.log(`roster: no owner yet; create one at ${publicBaseUrl()}/setup?token=${token}`);
  } catch (err) {
    console.error(`roster: could not issue a setup token: ${(err as Error).message}`);
  }
}
