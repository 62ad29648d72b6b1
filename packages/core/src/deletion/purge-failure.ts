import type { CoreDeps } from '../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';

/** Audit actions for a purge that stopped for good: its transfer target became invalid, or every retry failed. */
export type PurgeFailureAction = 'user.purge.blocked' | 'user.purge.failed';

const MAX_REASON = 1_000;

/**
 * Marks the purge of `userId` as failed and audits it, in one transaction,
 * only the first time: the sweeps skip a failed row, so an operator gets one
 * notice instead of one per sweep. Restore and purge-now clear the mark.
 * Returns whether this call recorded it.
 */
export async function recordPurgeFailure(
  deps: Pick<CoreDeps, 'em'>,
  userId: string,
  action: PurgeFailureAction,
  reason: string,
  details: Record<string, unknown> = {},
): Promise<boolean> {
  return deps.em.fork().transactional(async (em) => {
    const rows = await em.execute<{ deleted_by_id: string | null }[]>(
      `update users set purge_failed_at = now(), purge_failure = ?
        where id = ? and status = 'deleted' and purge_failed_at is null returning deleted_by_id`,
      [reason.slice(0, MAX_REASON), userId],
    );
    if (!rows[0]) return false;
    recordAudit(em, { actorId: rows[0].deleted_by_id, action, targetId: userId, details: { reason, ...details } });
    return true;
  });
}
