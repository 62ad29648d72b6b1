import { LockMode } from '@mikro-orm/core';
import { User } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { toAdminUser, type AdminUserDto } from '../users/dto.ts';
import { checkMayAct } from '../users/rules.ts';
import { queuePurge } from './purge-job.ts';
import { assertNotTransferTarget } from './transfer-target.ts';

/**
 * Moves a scheduled purge to now. On a purge that already began it only
 * queues the job again (a no-op while one exists), which is also how an
 * admin retries a purge whose job failed.
 */
export async function purgeNow(deps: CoreDeps, actor: Actor, id: string): Promise<{ user: AdminUserDto; queued: boolean }> {
  const now = deps.clock.now();
  const user = await deps.em.transactional(async (em) => {
    const u = await em.findOne(User, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!u) throw new AppError('USER_NOT_FOUND');
    await checkMayAct({ em }, actor, u, 'delete');
    if (u.status !== 'deleted') throw new AppError('USER_NOT_DELETED');
    if (!u.purgeStartedAt) await assertNotTransferTarget(em, u.id);
    if (!u.purgeStartedAt && u.purgeAt! > now) {
      recordAudit(em, { actorId: actor.id, action: 'user.purgeNow', targetId: u.id, details: { wasDueAt: u.purgeAt!.toISOString() } });
      u.purgeAt = now;
    }
    return u;
  });
  const queued = await queuePurge(deps, user.id, user.purgeAt!, { replace: !user.purgeStartedAt });
  return { user: toAdminUser(user, now), queued };
}
