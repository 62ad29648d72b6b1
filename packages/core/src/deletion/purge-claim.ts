import type { CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { PurgeStep } from './purge-step.ts';
import { assertTransferTarget } from './transfer-target.ts';

/** A BullMQ delay may end a hair before purge_at; this much early still counts as due. */
const DUE_TOLERANCE_MS = 250;

export type Claim =
  | { outcome: 'claimed'; resumed: boolean; counts: Record<string, number>; transferToUserId: string | null }
  | { outcome: 'gone' }
  | { outcome: 'not-deleted' }
  | { outcome: 'not-due'; purgeAt: Date };

type Row = {
  status: string;
  purge_at: Date | null;
  purge_started_at: Date | null;
  purge_counts: Record<string, number> | null;
  transfer_to_user_id: string | null;
  deleted_by_id: string | null;
};

export async function previewCounts(deps: CoreDeps, userId: string, plan: readonly PurgeStep[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const step of plan) for (const [k, v] of Object.entries(await step.preview(deps, userId))) counts[k] = (counts[k] ?? 0) + v;
  return counts;
}

/**
 * Re-checks the row (the source of truth) and marks the purge as begun.
 * The conditional update races fairly with restore (both take the row
 * lock); once purge_started_at is set, restore is refused and a later run
 * resumes instead of starting over. Call it under the purge lock.
 */
export async function claimPurge(deps: CoreDeps, userId: string, plan: readonly PurgeStep[]): Promise<Claim> {
  const em = deps.em.fork();
  const [row] = await em.execute<Row[]>(
    `select status, purge_at, purge_started_at, purge_counts, transfer_to_user_id, deleted_by_id from users where id = ?`,
    [userId],
  );
  if (!row) return { outcome: 'gone' };
  if (row.status !== 'deleted') return { outcome: 'not-deleted' };
  const transferToUserId = row.transfer_to_user_id;
  if (row.purge_started_at) return { outcome: 'claimed', resumed: true, counts: row.purge_counts ?? {}, transferToUserId };
  const now = deps.clock.now();
  const purgeAt = new Date(row.purge_at!);
  if (purgeAt.getTime() > now.getTime() + DUE_TOLERANCE_MS) return { outcome: 'not-due', purgeAt };
  if (transferToUserId) await assertTargetOrBlock(deps, userId, transferToUserId, row.deleted_by_id);
  const counts = await previewCounts(deps, userId, plan);
  const res = (await em.execute(
    `update users set purge_started_at = ?, purge_counts = ?
      where id = ? and status = 'deleted' and purge_started_at is null and purge_at <= ?`,
    [now, JSON.stringify(counts), userId, new Date(now.getTime() + DUE_TOLERANCE_MS)],
    'run',
  )) as { affectedRows: number };
  // Restored (or rescheduled) between the read and the update: look again.
  if (res.affectedRows === 0) return claimPurge(deps, userId, plan);
  return { outcome: 'claimed', resumed: false, counts, transferToUserId };
}

/**
 * Decision: a transfer target that is no longer valid at purge time blocks
 * the purge instead of falling back to plain deletion, because the admin
 * asked to keep that data. Nothing is removed, the user stays deleted and
 * restorable, and the audit log says why; restore and delete again (with
 * another target or none) to go on.
 */
async function assertTargetOrBlock(deps: CoreDeps, userId: string, targetId: string, actorId: string | null): Promise<void> {
  try {
    await assertTransferTarget(deps.em.fork(), userId, targetId);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const em = deps.em.fork();
    recordAudit(em, { actorId, action: 'user.purge.blocked', targetId: userId, details: { reason: err.message, transferToUserId: targetId } });
    await em.flush();
    throw err;
  }
}
