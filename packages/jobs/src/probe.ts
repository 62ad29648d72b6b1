import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** Redis hash of failed attempts per job name, incremented by workers (BullMQ counts failures per queue only). */
export const JOB_FAILURES_KEY = 'roster:job-failures';

/** What health and metrics read from the queue, cheaply: no job is loaded. */
export interface QueueProbe {
  /** Resolves when Redis answers a PING. */
  ping(): Promise<void>;
  /** Jobs per BullMQ state (waiting, active, delayed, failed, completed, …), the whole queue. */
  depth(): Promise<Record<string, number>>;
  /** Failed attempts per job name since the counter began (a Prometheus counter). */
  failures(): Promise<Record<string, number>>;
}

/** `connection` is the queue's own (fail-fast in the web process, so a probe never waits for Redis to come back). */
export function queueProbe(queue: Queue, connection: Redis): QueueProbe {
  return {
    async ping() {
      await connection.ping();
    },
    depth: () => queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed', 'waiting-children'),
    async failures() {
      const raw = await connection.hgetall(JOB_FAILURES_KEY);
      return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
    },
  };
}

export async function recordJobFailure(connection: Redis, name: string): Promise<void> {
  await connection.hincrby(JOB_FAILURES_KEY, name, 1);
}
