import { afterAll, beforeAll } from 'vitest';
import { AppClient } from '../e2e/storage/http-client.ts';
import { startApp, type RunningApp } from './server.ts';

/**
 * The built app for one test file, started before its tests with the first
 * run's owner signed in (AppClient.owner), and stopped after them. Read the
 * fields inside tests: they are set once beforeAll has run.
 */
export function appWithOwner(opts?: Parameters<typeof startApp>[0]): { app: RunningApp; owner: AppClient } {
  const held = {} as { app: RunningApp; owner: AppClient };
  beforeAll(async () => {
    held.app = await startApp(opts);
    held.owner = await AppClient.owner(held.app.baseUrl);
  });
  afterAll(async () => {
    await held.app?.stop();
  });
  return held;
}
