import type { JobsPort } from '@roster/core';
import { redisConnection } from './connection.ts';
import { jobCounts } from './job-counts.ts';
import { queueProbe, type QueueProbe } from './probe.ts';
import { createQueue } from './queue.ts';
import { withRequestIdField } from './request-id.ts';

/**
 * The queue producer used by web requests: it fails fast when Redis is down
 * (no offline queue) so callers can fall back on their database outbox.
 */
export function createJobsProducer(redisUrl: string): JobsPort & QueueProbe & { close(): Promise<void> } {
  const connection = redisConnection(redisUrl, 'producer');
  connection.on('error', () => {}); // reported per call; no unhandled error events while Redis is away
  const queue = createQueue(connection);
  queue.on('error', () => {});
  return {
    async enqueue(name, payload, opts = {}) {
      if (opts.jobId) {
        // A finished or failed job with the same id would make BullMQ ignore the new one.
        const old = await queue.getJob(opts.jobId);
        if (old && ((await old.isCompleted()) || (await old.isFailed()))) await old.remove();
      }
      await queue.add(name, withRequestIdField(payload), { jobId: opts.jobId, delay: Math.max(0, opts.delayMs ?? 0) });
    },
    async cancel(jobId) {
      const job = await queue.getJob(jobId);
      if (!job) return false;
      await job.remove();
      return true;
    },
    counts: () => jobCounts(queue),
    ...queueProbe(queue, connection),
    async get(jobId) {
      // State first, then the job's fields: read the other way round, a job finishing in between would be
      // reported completed with the return value (or failure reason) it had before, i.e. none.
      const state = await queue.getJobState(jobId);
      const job = await queue.getJob(jobId);
      if (!job || state === 'unknown') return null;
      return { id: jobId, name: job.name, state, progress: job.progress, returnValue: job.returnvalue, failedReason: job.failedReason || undefined };
    },
    async close() {
      await queue.close();
      await connection.quit().catch(() => {});
    },
  };
}
