import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import './provided.ts';
import { loadEnv, repoRoot, webNodeFlags } from '@roster/config';
import { freePort } from '@roster/db/embedded-postgres';
import { createTestDatabase } from './database.ts';

export interface RunningApp {
  baseUrl: string;
  databaseUrl: string;
  dataDir: string;
  web: ChildProcess;
  worker?: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const stopChild = (c: ChildProcess | undefined) =>
  new Promise<void>((resolve) => {
    if (!c || c.exitCode !== null || c.signalCode) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
    setTimeout(() => c.kill('SIGKILL'), 5_000).unref();
  });

/**
 * Runs the built web app (apps/web/build, made by `npm test` before the
 * suites run) on a free port against a fresh database, optionally with the
 * worker, as `npm start` would run them.
 */
export async function startApp(opts: { worker?: boolean; env?: Record<string, string> } = {}): Promise<RunningApp> {
  // A worker takes jobs from whatever queue its Redis holds: on the Redis the test files share it would run other files' jobs.
  if (opts.worker && !opts.env?.REDIS_URL) throw new Error('startApp({ worker: true }) needs a Redis of its own: pass env.REDIS_URL from startOwnRedis()');
  const entry = path.join(repoRoot, 'apps/web/server.ts');
  if (!fs.existsSync(path.join(repoRoot, 'apps/web/build/index.js'))) throw new Error('apps/web/build is missing: run `pnpm --filter @roster/web build` first');
  const databaseUrl = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(inject('tmpRoot'), 'data-'));
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: inject('redisUrl'),
    ROSTER_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    // As npm start: open for uploads; other bodies stop at ROSTER_BODY_LIMIT (its default unless opts.env sets it).
    BODY_SIZE_LIMIT: 'Infinity',
    ...opts.env,
  };
  let out = '';
  const keep = (c: ChildProcess) => {
    c.stdout?.on('data', (d) => (out += d));
    c.stderr?.on('data', (d) => (out += d));
    return c;
  };
  const web = keep(spawn(process.execPath, [...webNodeFlags(loadEnv(env)), entry], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  const worker = opts.worker
    ? keep(spawn(process.execPath, [path.join(repoRoot, 'apps/worker/src/main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] }))
    : undefined;
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${baseUrl}/api/trpc/setup.status`)).ok, 30_000, `web app on ${baseUrl}\n${out}`);
  if (worker) await waitFor(async () => out.includes('[worker] ready'), 30_000, 'worker ready');
  return {
    baseUrl,
    databaseUrl,
    dataDir,
    web,
    worker,
    output: () => out,
    stop: async () => {
      await Promise.all([stopChild(web), stopChild(worker)]);
    },
  };
}
