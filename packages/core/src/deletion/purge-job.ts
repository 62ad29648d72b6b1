import type { CoreDeps } from '../deps.ts';

/** The job that purges one user; its processor lives in packages/jobs. */
export const PURGE_JOB = 'user.purge';

/**
 * One job id per user, so re-adding is a no-op and cancel/reschedule are
 * idempotent. BullMQ 6 refuses custom ids with one `:` (it reserves
 * `a:b:c` for repeat jobs), so the separator is a dot.
 */
export const purgeJobId = (userId: string) => `${PURGE_JOB}.${userId}`;

/** A web request never waits long on Redis; the row is the outbox and the sweeper catches up (also for membership expiry). */
const QUEUE_TIMEOUT_MS = 3_000;

export function withTimeout<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('queue timeout')), QUEUE_TIMEOUT_MS);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Queues the purge of `userId` to run in `delayMs` (measured against the
 * database's clock by the caller, which set purge_at with it). With
 * `replace`, an existing job (a stale one from an earlier deletion, or one
 * due later than now wanted) is removed first. Returns false instead of
 * throwing when the queue is unreachable: the committed row still says what
 * to do, and the worker's due sweep queues it within a minute.
 */
export async function queuePurge(
  deps: Pick<CoreDeps, 'jobs'>,
  userId: string,
  delayMs: number,
  opts: { replace?: boolean } = {},
): Promise<boolean> {
  const jobId = purgeJobId(userId);
  try {
    if (opts.replace) await withTimeout(deps.jobs.cancel(jobId)).catch(() => false);
    await withTimeout(deps.jobs.enqueue(PURGE_JOB, { userId }, { jobId, delayMs: Math.max(0, delayMs) }));
    return true;
  } catch (err) {
    console.warn(`[deletion] purge of ${userId} not queued (${(err as Error).message}); the sweeper will queue it`);
    return false;
  }
}

/** Removes a queued purge; a failure is harmless because the processor re-checks the row. */
export async function unqueuePurge(deps: Pick<CoreDeps, 'jobs'>, userId: string): Promise<boolean> {
  return withTimeout(deps.jobs.cancel(purgeJobId(userId))).catch(() => false);
}

/** The database's time: due times and leases are compared with `now()` there, so they are set from it too. */
export async function databaseNow(em: Pick<CoreDeps['em'], 'execute'>): Promise<Date> {
  const [row] = await em.execute<{ now: Date }[]>(`select now() as now`);
  return new Date(row!.now);
}
