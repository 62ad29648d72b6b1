import { Worker, type Job, type Queue } from 'bullmq';
import type { Clock } from '@roster/core';
import type { EntityManager, MikroORM } from '@roster/db';
import { redisConnection } from './connection.ts';
import { createQueue, QUEUE_NAME } from './queue.ts';
import { jobByName, jobDefinitions } from './registry.ts';

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
  log?: (message: string) => void;
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
  const queue = createQueue(queueConnection);
  for (const def of jobDefinitions) {
    if (def.repeat) await queue.upsertJobScheduler(def.name, { pattern: def.repeat.pattern }, { name: def.name, data: {} });
  }
  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job) => {
      const def = jobByName(job.name);
      if (!def) throw new Error(`No job definition named ${job.name}`);
      const payload = def.payload.parse(job.data);
      const em = opts.orm.em.fork() as EntityManager;
      return def.process({ em, orm: opts.orm, clock: opts.clock, dataDir: opts.dataDir, log, queue }, payload, job);
    },
    {
      connection,
      concurrency: opts.concurrency ?? 4,
      lockDuration: opts.lockDurationMs ?? 30_000,
      stalledInterval: opts.stalledIntervalMs ?? 30_000,
    },
  );
  worker.on('failed', (job, err) => log(`${job?.name ?? '?'} ${job?.id ?? ''} failed: ${err.message}`));
  await worker.waitUntilReady();
  return {
    worker,
    queue,
    async close() {
      // Lets active jobs finish their current step; a deploy never cuts one in half.
      await worker.close();
      await queue.close();
      await Promise.allSettled([connection.quit(), queueConnection.quit()]);
    },
  };
}
