import { LockMode } from '@mikro-orm/core';
import { User } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { toAdminUser, type AdminUserDto } from '../users/dto.ts';
import { checkMayAct } from '../users/rules.ts';
import { assertRestorable } from '../users/user-actions.ts';
import { unqueuePurge } from './purge-job.ts';

/**
 * Immich's restore: back to active while the purge has not begun. The row
 * lock orders this against the purge's claim, so exactly one of them wins.
 * Sessions stay revoked (the user signs in again); revoked invitations and
 * reset links stay revoked.
 */
export async function restoreUser(deps: CoreDeps, actor: Actor, id: string): Promise<AdminUserDto> {
  const user = await deps.em.transactional(async (em) => {
    const u = await em.findOne(User, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!u) throw new AppError('USER_NOT_FOUND');
    await checkMayAct({ em }, actor, u, 'delete');
    assertRestorable(u);
    u.status = 'active';
    u.deletedAt = null;
    u.purgeAt = null;
    u.transferToUserId = null;
    u.deletedById = null;
    u.purgeFailedAt = null;
    u.purgeFailure = null;
    u.suspendedReason = null;
    u.suspendedUntil = null;
    recordAudit(em, { actorId: actor.id, action: 'user.restore', targetId: u.id });
    return u;
  });
  // If Redis is away the job stays, finds the user active and does nothing.
  await unqueuePurge(deps, user.id);
  return toAdminUser(user, deps.clock.now());
}
