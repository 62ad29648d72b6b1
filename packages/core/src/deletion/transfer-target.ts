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
 * since the target may have changed in between.
 */
export async function assertTransferTarget(em: EntityManager, userId: string, targetId: string): Promise<User> {
  if (targetId === userId) throw new AppError('TRANSFER_TARGET_INVALID', 'A user cannot transfer their data to themselves');
  const target = await em.findOne(User, targetId);
  if (!target) throw new AppError('TRANSFER_TARGET_INVALID', 'The transfer target does not exist');
  const problem = transferTargetProblem(target);
  if (problem) throw new AppError('TRANSFER_TARGET_INVALID', problem);
  return target;
}
