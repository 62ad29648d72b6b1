import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, openOrm, type EntityManager, type MikroORM } from '@roster/db';
import { freePort, startEmbeddedPostgres } from '@roster/db/embedded-postgres';
import { startRedisServer } from '@roster/jobs/redis-server';

export const repoRoot = path.resolve(import.meta.dirname, '..');

/** A throwaway embedded PostgreSQL (migrated) and redis-server in a temp folder, as `npm start` runs them. */
export async function benchServices(name: string) {
  const dir = fs.mkdtempSync(path.join(process.env.BENCH_TMP ?? os.tmpdir(), `roster-bench-${name}-`));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres(path.join(dir, 'pg'), { quiet: true });
  await pg.createDatabase('roster');
  const databaseUrl = pg.url('roster');
  const orm: MikroORM = await openOrm(databaseUrl, { poolMax: 4 });
  await migrate(orm);
  const redis = await startRedisServer(path.join(dir, 'redis'), await freePort());
  const postmaster = Number(fs.readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  return {
    dir,
    dataDir,
    databaseUrl,
    redisUrl: redis.url,
    /** CPU seconds used so far by PostgreSQL (postmaster and every backend, ended ones included) and by redis-server. */
    serviceCpu: () => ({ postgres: treeCpuSeconds(postmaster), redis: treeCpuSeconds(redis.process.pid!) }),
    sql: <T = Record<string, unknown>[]>(q: string, params: unknown[] = []) => (orm.em.fork() as EntityManager).execute(q, params) as Promise<T>,
    async close() {
      await orm.close();
      await redis.stop();
      await pg.stop();
      if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface BenchWorker {
  child: ChildProcess;
  /** Peak and current resident set size, from /proc/<pid>/status. */
  memory(): { hwm: number; rss: number };
  /** CPU time used so far (user + system seconds), from /proc/<pid>/stat. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Runs the real worker process (apps/worker/src/main.ts); resolves once it says ready (after its start-up sweep). */
export async function startBenchWorker(env: Record<string, string>): Promise<BenchWorker> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'apps/worker/src/main.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
    if (out.length > 100_000) out = out.slice(-10_000);
  });
  await until(() => out.includes('[worker] ready') || child.exitCode !== null, 60_000).catch((error: unknown) => {
    child.kill('SIGKILL'); // never outlive the bench that started it
    throw error;
  });
  if (child.exitCode !== null) throw new Error(`worker exited: ${out}`);
  return {
    child,
    memory() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (key: string) => Number(status.match(new RegExp(`${key}:\\s+(\\d+) kB`))?.[1] ?? 0) * 1024;
      return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
    },
    cpuSeconds() {
      const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** utime+stime of `pid`, plus its waited-for children (cutime+cstime), plus its live children, in seconds. */
export function treeCpuSeconds(pid: number): number {
  const stat = (p: number) => fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const f = stat(pid);
  let ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(stat(Number(entry))[1]) === pid) ticks += treeCpuSeconds(Number(entry)) * 100;
    } catch {
      // the process ended while we looked
    }
  }
  return ticks / 100;
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

