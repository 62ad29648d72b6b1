import type { EntityManager } from '@roster/db';

/**
 * How late the oldest due purge is, in seconds (0 when none is due): a
 * deleted user whose purge_at has passed and whose purge has not failed for
 * good. Read along the users_purge_at index, as the due sweep reads it. A
 * healthy instance keeps this under the worker's due-sweep period.
 */
export async function purgeLatenessSeconds(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ late: string | null }[]>(
    `select extract(epoch from now() - min(purge_at)) as late
       from users where status = 'deleted' and purge_failed_at is null and purge_at <= now()`,
  );
  return Math.max(0, Number(row?.late ?? 0));
}
