import { User, type EntityManager } from '@roster/db';
import { AppError } from '../errors.ts';

/**
 * n8n-style transfer: the target must be another user who is active (not
 * suspended, not deleted). Checked when the deletion is requested and again
 * when the purge begins, since the target may have changed in between.
 */
export async function assertTransferTarget(em: EntityManager, userId: string, targetId: string): Promise<User> {
  if (targetId === userId) throw new AppError('TRANSFER_TARGET_INVALID', 'A user cannot transfer their data to themselves');
  const target = await em.findOne(User, targetId);
  if (!target) throw new AppError('TRANSFER_TARGET_INVALID', 'The transfer target does not exist');
  if (target.status !== 'active') throw new AppError('TRANSFER_TARGET_INVALID', `The transfer target is ${target.status}`);
  return target;
}
