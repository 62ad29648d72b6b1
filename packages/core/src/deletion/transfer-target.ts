import { LockMode } from '@mikro-orm/core';
import { User, type EntityManager } from '@roster/db';
import { AppError } from '../errors.ts';

/**
 * Why `target` may not receive another user's files, or null when it may:
 * n8n-style, only another active, approved user. A `pending` account is
 * active but awaits approval: it cannot sign in to see what it was given.
 */
export function transferTargetProblem(target: Pick<User, 'status' | 'role'>): string | null {
  if (target.status === 'deleted') return 'The transfer target is deleted; choose an active user';
  if (target.status === 'suspended') return 'The transfer target is suspended; choose an active user';
  if (target.role === 'pending') return 'The transfer target is awaiting approval; approve them first or choose another user';
  return null;
}

/**
 * Checked when the deletion is requested and again when the purge begins,
 * since the target may have changed in between. Inside a transaction the
 * target's row is share-locked, so deleting the target at the same moment
 * waits for this deletion and then sees it (assertNotTransferTarget).
 */
export async function assertTransferTarget(em: EntityManager, userId: string, targetId: string): Promise<User> {
  if (targetId === userId) throw new AppError('TRANSFER_TARGET_INVALID', 'A user cannot transfer their data to themselves');
  const target = await em.findOne(User, targetId, em.isInTransaction() ? { lockMode: LockMode.PESSIMISTIC_READ } : {});
  if (!target) throw new AppError('TRANSFER_TARGET_INVALID', 'The transfer target does not exist');
  const problem = transferTargetProblem(target);
  if (problem) throw new AppError('TRANSFER_TARGET_INVALID', problem);
  return target;
}

/**
 * A user whose data another deletion will receive cannot be deleted (nor
 * have their purge hurried) while that purge has not finished: it would
 * leave the other user half-transferred. Retarget that deletion first
 * (restore it and delete again with another target or none). Call it
 * holding the user's row lock, so a deletion naming them that commits
 * meanwhile is seen (assertTransferTarget share-locks the same row).
 */
export async function assertNotTransferTarget(em: EntityManager, userId: string): Promise<void> {
  const [row] = await em.execute<{ id: string; email: string }[]>(
    `select id, email from users where transfer_to_user_id = ? and status = 'deleted' and id <> ? order by deleted_at limit 1`,
    [userId, userId],
  );
  if (row)
    throw new AppError(
      'USER_IS_TRANSFER_TARGET',
      `This user receives the data of deleted user ${row.email}; restore that user and delete them again with another target or none first`,
    );
}
