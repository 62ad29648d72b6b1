import { Worker, type Job, type Queue } from 'bullmq';
import type { Clock } from '@roster/core';
import type { EntityManager, MikroORM } from '@roster/db';
import { redisConnection } from './connection.ts';
import { recordJobFailure } from './probe.ts';
import { createQueue, QUEUE_NAME } from './queue.ts';
import { jobByName } from './registry.ts';
import { jobRequestId } from './request-id.ts';

export interface WorkerOptions {
  redisUrl: string;
  orm: MikroORM;
  clock: Clock;
  dataDir: string;
  concurrency?: number;
  /** BullMQ lock; renewed every half of it while a job runs. A killed worker's job is retried once it expires. */
  lockDurationMs?: number;
  /** How often stalled (lock-expired) jobs are looked for. */
  stalledIntervalMs?: number;
  /** How long close() waits for running jobs before it lets go of them (ROSTER_WORKER_CLOSE_MS). */
  closeTimeoutMs?: number;
  log?: (message: string) => void;
  /** Structured lines per job (name, id, the request id that queued it, duration); pino's shape. */
  logger?: JobLogger;
}

export interface JobLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface RunningWorker {
  worker: Worker;
  queue: Queue;
  close(): Promise<void>;
}

/** Runs every registered job; each gets its own EntityManager fork. */
export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const log = opts.log ?? ((m: string) => console.log(`[worker] ${m}`));
  const connection = redisConnection(opts.redisUrl, 'worker');
  const queueConnection = redisConnection(opts.redisUrl, 'worker');
  // Repeat schedules are registered (and re-registered when Redis loses them) by startDeletionSweeps.
  const queue = createQueue(queueConnection);
  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job) => {
      const def = jobByName(job.name);
      if (!def) throw new Error(`No job definition named ${job.name}`);
      const payload = def.payload.parse(job.data);
      const em = opts.orm.em.fork() as EntityManager;
      const started = performance.now();
      const result = await def.process({ em, orm: opts.orm, clock: opts.clock, dataDir: opts.dataDir, log, queue }, payload, job);
      opts.logger?.info({ ...jobFields(job), durationMs: Math.round(performance.now() - started) }, 'job completed');
      return result;
    },
    {
      connection,
      concurrency: opts.concurrency ?? 4,
      lockDuration: opts.lockDurationMs ?? 30_000,
      stalledInterval: opts.stalledIntervalMs ?? 30_000,
    },
  );
  worker.on('failed', (job, err) => {
    const message = `${job?.name ?? '?'} ${job?.id ?? ''} failed: ${err.message}`;
    if (opts.logger) opts.logger.warn({ ...(job ? jobFields(job) : {}), attemptsMade: job?.attemptsMade }, message);
    else log(message);
    // Counted for /metrics (roster_job_failures_total); a counter that cannot be written is not worth failing over.
    if (job) recordJobFailure(queueConnection, job.name).catch(() => {});
  });
  // Without a listener an 'error' event (Redis gone, a connection cut by a late close) would crash the process.
  worker.on('error', (err) => log(`worker error: ${err.message}`));
  await worker.waitUntilReady();
  return {
    worker,
    queue,
    async close() {
      // Lets active jobs finish their current step, up to a deadline: past it the jobs are let go, their
      // BullMQ locks and purge leases lapse, and the next worker resumes them (every purge step is idempotent).
      const closeTimeoutMs = opts.closeTimeoutMs ?? 8_000;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), closeTimeoutMs)));
      const closed = await Promise.race([worker.close().then(() => 'closed' as const), deadline]);
      clearTimeout(timer);
      if (closed === 'late') {
        log(`jobs still running after ${closeTimeoutMs} ms; closing without them (they resume in another worker)`);
        connection.disconnect();
        queueConnection.disconnect();
        return;
      }
      await queue.close();
      await Promise.allSettled([connection.quit(), queueConnection.quit()]);
    },
  };
}

function jobFields(job: Job): Record<string, unknown> {
  return { job: job.name, jobId: job.id, requestId: jobRequestId(job.data) };
}
