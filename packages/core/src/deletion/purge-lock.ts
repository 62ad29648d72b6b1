import type { EntityManager } from '@roster/db';

/** Another worker is purging this user right now; the job retries later and then finds the work done. */
export class PurgeBusyError extends Error {
  constructor(userId: string) {
    super(`The purge of ${userId} is running in another worker`);
    this.name = 'PurgeBusyError';
  }
}

/**
 * Runs `fn` while holding a PostgreSQL advisory lock on the user's purge.
 * The lock lives in a transaction of its own that does nothing else (so it
 * blocks none of the steps' writes) and ends with its connection: a worker
 * that is killed mid-purge releases it at once and the purge can resume,
 * with no lease to expire. The steps use other connections of the pool.
 */
export async function withPurgeLock<T>(em: EntityManager, userId: string, fn: () => Promise<T>): Promise<T> {
  const holder = em.fork();
  await holder.begin();
  try {
    const [row] = await holder.execute<{ ok: boolean }[]>(`select pg_try_advisory_xact_lock(hashtextextended(?, 0)) as ok`, [
      `user.purge:${userId}`,
    ]);
    if (!row?.ok) throw new PurgeBusyError(userId);
    return await fn();
  } finally {
    await holder.rollback().catch(() => {});
  }
}
