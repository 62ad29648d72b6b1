import { createLogger, loadEnv, requireEnv } from '@roster/config';
import { systemClock } from '@roster/core';
import { openOrm, type EntityManager } from '@roster/db';
import { startDeletionSweeps, startWebhookRelay, startWorker } from '@roster/jobs';

/** The job worker process: runs until SIGTERM/SIGINT, then finishes its current steps (up to ROSTER_WORKER_CLOSE_MS) and exits. */
const env = loadEnv();
// One connection per job in flight, plus a couple for sweeps and lease renewals.
const orm = await openOrm(requireEnv(env, 'DATABASE_URL'), { poolMax: env.ROSTER_WORKER_CONCURRENCY + 4 });
const logger = createLogger('worker', { level: env.LOG_LEVEL });
const log = (m: string) => logger.info(m);
const running = await startWorker({
  redisUrl: requireEnv(env, 'REDIS_URL'),
  orm,
  clock: systemClock,
  dataDir: env.ROSTER_DATA_DIR,
  concurrency: env.ROSTER_WORKER_CONCURRENCY,
  lockDurationMs: env.ROSTER_JOB_LOCK_MS,
  stalledIntervalMs: env.ROSTER_JOB_STALLED_MS,
  closeTimeoutMs: env.ROSTER_WORKER_CLOSE_MS,
  log,
  logger,
});
// Deletions whose job Redis never got (or lost) are queued again before anything else, then every ROSTER_DUE_SWEEP_MS.
const sweeps = await startDeletionSweeps({ fork: () => orm.em.fork() as EntityManager, queue: running.queue, log, everyMs: env.ROSTER_DUE_SWEEP_MS });
// Webhook deliveries written by committed changes go to BullMQ within ROSTER_WEBHOOK_POLL_MS.
const relay = startWebhookRelay({
  fork: () => orm.em.fork() as EntityManager,
  queue: running.queue,
  log,
  everyMs: env.ROSTER_WEBHOOK_POLL_MS,
  policy: { attempts: env.ROSTER_WEBHOOK_ATTEMPTS, backoffMs: env.ROSTER_WEBHOOK_BACKOFF_MS },
});
// Supervisors and tests wait for this exact text.
logger.info('[worker] ready');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    sweeps.stop();
    relay.stop();
    await running.close();
    // Past the close deadline a job may still hold a database connection; closing the pool must not wait for it.
    await Promise.race([orm.close(true), new Promise((r) => setTimeout(r, 1_000))]);
    process.exit(0);
  });
}
