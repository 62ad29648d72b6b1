import { LockMode } from '@mikro-orm/core';
import { verifyPassword } from '@roster/auth';
import { User } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { markSessionsForRotation } from '../auth/session-store.ts';
import { AppError } from '../errors.ts';
import { admitCredentialAttempt } from '../throttle/guard.ts';
import { toAdminUser, type AdminUserDto } from './dto.ts';
import { assertMayBecomeOwner, assertMayTransferOwnership } from './user-actions.ts';

/** The owner hands the instance over: target becomes owner, the old owner an admin, in one transaction. */
export async function transferOwnership(
  deps: CoreDeps,
  actor: Actor,
  input: { id: string; password: string },
): Promise<{ newOwner: AdminUserDto; previousOwner: AdminUserDto }> {
  assertMayTransferOwnership(actor, input.id);
  const attempt = await admitCredentialAttempt(deps, actor.email);
  const me = await deps.em.findOneOrFail(User, actor.id, { populate: ['passwordHash'] });
  if (!me.passwordHash || !(await verifyPassword(me.passwordHash, input.password)))
    throw new AppError('WRONG_PASSWORD', undefined, { password: ['The password is incorrect'] });
  await attempt.confirm();
  const [newOwner, previousOwner] = await deps.em.transactional(async (em) => {
    // The owner's row is locked first, so a concurrent transfer waits here and then finds it no longer owns anything.
    const old = await em.findOneOrFail(User, actor.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (old.role !== 'owner') throw new AppError('FORBIDDEN', 'Only the owner can transfer ownership');
    const target = await em.findOne(User, input.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!target) throw new AppError('USER_NOT_FOUND');
    assertMayBecomeOwner(target);
    // Demote first: the single-owner index allows one owner at any moment.
    old.role = 'admin';
    await em.flush();
    target.role = 'owner';
    target.mustChangePassword = false;
    recordAudit(em, { actorId: actor.id, action: 'owner.transfer', targetId: target.id });
    await em.flush();
    // Both roles changed: every session of both gets a new token (the caller's current one at once, in the API).
    await markSessionsForRotation(em, old.id);
    await markSessionsForRotation(em, target.id);
    return [target, old];
  });
  const now = deps.clock.now();
  return { newOwner: toAdminUser(newOwner, now), previousOwner: toAdminUser(previousOwner, now) };
}
