/**
 * The built web app on a fresh embedded PostgreSQL and redis-server in a
 * temporary folder, on a free loopback port: what each HTTP benchmark starts,
 * with the web process's memory and CPU readings and one teardown.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadEnv, webNodeFlags } from '../packages/config/src/index.ts';
import { migrate, openOrm, type MikroORM } from '@roster/db';
import { freePort, startEmbeddedPostgres } from '@roster/db/embedded-postgres';
import { startRedisServer } from '@roster/jobs/redis-server';

export interface BenchApp {
  base: string;
  /** The app's redis-server, for benchmarks that run a worker beside it. */
  redisUrl: string;
  /** An ORM on the app's database, for setting up and checking rows. */
  orm: MikroORM;
  /** Peak (VmHWM) and current (VmRSS) resident memory of the web process, in bytes. */
  memory(): { hwm: number; rss: number };
  /** The web process's CPU time so far (user + system), from /proc: comparable across machines and load. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export async function startBenchApp(name: string, env: Record<string, string> = {}): Promise<BenchApp> {
  const repoRoot = path.resolve(import.meta.dirname, '..');
  const entry = path.join(repoRoot, 'apps/web/server.ts');
  if (!fs.existsSync(path.join(repoRoot, 'apps/web/build/index.js'))) throw new Error('apps/web/build is missing: run `pnpm --filter @roster/web build` first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `roster-bench-${name}-`));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres(path.join(dir, 'pg'), { quiet: true });
  await pg.createDatabase('roster');
  const orm = await openOrm(pg.url('roster'), { poolMax: 2 });
  await migrate(orm);
  const redis = await startRedisServer(path.join(dir, 'redis'), await freePort());
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const webEnv = {
    ...process.env,
    DATABASE_URL: pg.url('roster'),
    REDIS_URL: redis.url,
    ROSTER_DATA_DIR: path.join(dir, 'data'),
    PORT: String(port),
    HOST: '127.0.0.1',
    BODY_SIZE_LIMIT: 'Infinity',
    ...env,
  };
  // Started as npm start starts it (server.ts, which serves the API in front of the build), with the same Node flags.
  const web = spawn(process.execPath, [...webNodeFlags(loadEnv(webEnv)), entry], {
    env: webEnv,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = async () => {
    if (web.exitCode === null && !web.signalCode) {
      web.kill('SIGTERM');
      await new Promise((r) => web.once('exit', r));
    }
    await orm.close();
    await redis.stop();
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/api/trpc/setup.status`).then((r) => r.ok, () => false)) break;
    if (i > 300 || web.exitCode !== null) {
      await stop();
      throw new Error('the web app did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    redisUrl: redis.url,
    orm,
    memory() {
      const status = fs.readFileSync(`/proc/${web.pid}/status`, 'utf8');
      const kb = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+) kB`))?.[1] ?? 0) * 1024;
      return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
    },
    cpuSeconds() {
      const fields = fs.readFileSync(`/proc/${web.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop,
  };
}
