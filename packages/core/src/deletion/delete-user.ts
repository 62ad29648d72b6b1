import { LockMode } from '@mikro-orm/core';
import { User, type EntityManager } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { getSettings } from '../settings/instance-settings.ts';
import { toAdminUser, type AdminUserDto } from '../users/dto.ts';
import { checkMayAct } from '../users/rules.ts';
import { assertNotDeleted } from '../users/user-actions.ts';
import { queuePurge } from './purge-job.ts';
import { assertNotTransferTarget, assertTransferTarget } from './transfer-target.ts';

export interface DeleteUserInput {
  id: string;
  /** Immich's "queue user and its data for immediate deletion": purge_at = now. */
  immediate?: boolean;
  transferToUserId?: string | null;
  /** Grace period override for tests (seconds-long schedules); not exposed by the router. */
  delayMs?: number;
}

const DAY_MS = 86_400_000;

/**
 * Schedules a user's purge. One transaction marks the row deleted (the
 * outbox), revokes every way in (sessions, pending invitations sent, reset
 * links) and writes the audit row; only then is the delayed job queued. If
 * Redis is down the request still succeeds (`queued: false`) and the
 * sweeper queues the purge once it can.
 */
export async function deleteUser(
  deps: CoreDeps,
  actor: Actor,
  input: DeleteUserInput,
): Promise<{ user: AdminUserDto; queued: boolean }> {
  let now = deps.clock.now();
  const user = await deps.em.transactional(async (em) => {
    const u = await em.findOne(User, input.id, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!u) throw new AppError('USER_NOT_FOUND');
    await checkMayAct({ em }, actor, u, 'delete');
    assertNotDeleted(u);
    await assertNotTransferTarget(em, u.id);
    const transferTo = input.transferToUserId ?? null;
    if (transferTo) await assertTransferTarget(em, u.id, transferTo);
    const { userDeleteDelayDays } = await getSettings({ em });
    const delayMs = input.immediate ? 0 : (input.delayMs ?? userDeleteDelayDays * DAY_MS);
    const { revoked, at } = await revokeAccess(em, u.id);
    now = at;
    u.status = 'deleted';
    u.deletedAt = now;
    u.purgeAt = new Date(now.getTime() + delayMs);
    u.transferToUserId = transferTo;
    u.deletedById = actor.id;
    recordAudit(em, {
      actorId: actor.id,
      action: 'user.delete',
      targetId: u.id,
      details: { immediate: !!input.immediate, purgeAt: u.purgeAt.toISOString(), transferToUserId: transferTo, revoked },
    });
    return u;
  });
  const queued = await queuePurge(deps, user.id, user.purgeAt!.getTime() - now.getTime(), { replace: true });
  return { user: toAdminUser(user, now), queued };
}

/**
 * Everything that lets the user (or someone holding their links) in, gone at
 * once, in one statement that also reads the database's clock (due times are
 * compared with it): the purge deletes the rows later.
 */
async function revokeAccess(em: EntityManager, userId: string): Promise<{ revoked: Record<string, number>; at: Date }> {
  const [row] = await em.execute<{ at: Date; sessions: number; invitations: number; reset_tokens: number }[]>(
    `with s as (delete from sessions where user_id = ? returning 1),
          i as (update invitations set revoked_at = now() where invited_by_id = ? and accepted_at is null and revoked_at is null returning 1),
          r as (update password_reset_tokens set used_at = now() where user_id = ? and used_at is null returning 1)
     select now() as at, (select count(*)::int from s) as sessions, (select count(*)::int from i) as invitations,
            (select count(*)::int from r) as reset_tokens`,
    [userId, userId, userId],
  );
  // API keys join this list when they exist.
  return { revoked: { sessions: row!.sessions, invitations: row!.invitations, resetTokens: row!.reset_tokens }, at: new Date(row!.at) };
}
