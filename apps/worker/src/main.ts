import { loadEnv, requireEnv } from '@roster/config';
import { systemClock } from '@roster/core';
import { openOrm, type EntityManager } from '@roster/db';
import { startDeletionSweeps, startWorker } from '@roster/jobs';

/** The job worker process: runs until SIGTERM/SIGINT, then finishes its current steps and exits. */
const env = loadEnv();
// One connection per job in flight, plus a couple for sweeps and lease renewals.
const orm = await openOrm(requireEnv(env, 'DATABASE_URL'), { poolMax: env.ROSTER_WORKER_CONCURRENCY + 4 });
const log = (m: string) => console.log(`[worker] ${m}`);
const running = await startWorker({
  redisUrl: requireEnv(env, 'REDIS_URL'),
  orm,
  clock: systemClock,
  dataDir: env.ROSTER_DATA_DIR,
  concurrency: env.ROSTER_WORKER_CONCURRENCY,
  lockDurationMs: env.ROSTER_JOB_LOCK_MS,
  stalledIntervalMs: env.ROSTER_JOB_STALLED_MS,
  log,
});
// Deletions whose job Redis never got (or lost) are queued again before anything else.
await startDeletionSweeps({ fork: () => orm.em.fork() as EntityManager, queue: running.queue, clock: systemClock, log });
console.log('[worker] ready');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await running.close();
    await orm.close();
    process.exit(0);
  });
}
