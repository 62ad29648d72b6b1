import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import './provided.ts';
import { repoRoot } from '@roster/config';
import { freePort } from '@roster/db/embedded-postgres';
import { createQueue, redisConnection } from '@roster/jobs';
import { startRedisServer, type RedisServer } from '@roster/jobs/redis-server';

/** Polls `check` until it holds (never a fixed sleep); fails with `what` after `timeoutMs`. */
export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await Promise.resolve(check()).catch(() => false)) return;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** A redis-server of the test file's own (for tests that run workers, FLUSHALL or stop Redis); `restart` keeps its port and data. */
export async function startOwnRedis(): Promise<RedisServer & { dir: string; restart(): Promise<RedisServer> }> {
  const dir = fs.mkdtempSync(path.join(inject('tmpRoot'), 'redis-'));
  const server = await startRedisServer(dir, await freePort());
  return { ...server, dir, restart: () => startRedisServer(dir, server.port) };
}

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** Sends `signal` and resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs apps/worker/src/main.ts (the real worker process) against the given database, Redis and data folder. */
export async function startWorkerProcess(opts: {
  databaseUrl: string;
  redisUrl: string;
  dataDir: string;
  env?: Record<string, string>;
  name?: string;
}): Promise<WorkerProcess> {
  const env = {
    ...process.env,
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.redisUrl,
    ROSTER_DATA_DIR: opts.dataDir,
    ...opts.env,
  };
  const child = spawn(process.execPath, [path.join(repoRoot, 'apps/worker/src/main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitUntil(() => out.includes('[worker] ready') || child.exitCode !== null, 30_000, `worker ${opts.name ?? ''} ready`);
  if (child.exitCode !== null) throw new Error(`worker exited early:\n${out}`);
  return {
    child,
    output: () => out,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A BullMQ queue handle on `redisUrl`, for tests that look at (or lose) queued jobs. */
export function openQueue(redisUrl: string) {
  const connection = redisConnection(redisUrl, 'worker');
  connection.on('error', () => {});
  const queue = createQueue(connection);
  queue.on('error', () => {});
  return {
    queue,
    redis: connection,
    async close() {
      await queue.close().catch(() => {});
      connection.disconnect();
    },
  };
}
