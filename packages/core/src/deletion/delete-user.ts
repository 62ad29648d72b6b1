import { LockMode } from '@mikro-orm/core';
import { User, type EntityManager } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { getSettings } from '../settings/instance-settings.ts';
import { toAdminUser, type AdminUserDto } from '../users/dto.ts';
import { checkMayAct } from '../users/rules.ts';
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
  const now = deps.clock.now();
  const user = await deps.em.transactional(async (em) => {
    const u = await em.findOne(User, input.id, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!u) throw new AppError('USER_NOT_FOUND');
    await checkMayAct({ em }, actor, u, 'delete');
    if (u.status === 'deleted') throw new AppError('USER_ALREADY_DELETED');
    await assertNotTransferTarget(em, u.id);
    const transferTo = input.transferToUserId ?? null;
    if (transferTo) await assertTransferTarget(em, u.id, transferTo);
    const { userDeleteDelayDays } = await getSettings({ em });
    const delayMs = input.immediate ? 0 : (input.delayMs ?? userDeleteDelayDays * DAY_MS);
    u.status = 'deleted';
    u.deletedAt = now;
    u.purgeAt = new Date(now.getTime() + delayMs);
    u.transferToUserId = transferTo;
    u.deletedById = actor.id;
    const revoked = await revokeAccess(em, u.id, now);
    recordAudit(em, {
      actorId: actor.id,
      action: 'user.delete',
      targetId: u.id,
      details: { immediate: !!input.immediate, purgeAt: u.purgeAt.toISOString(), transferToUserId: transferTo, revoked },
    });
    return u;
  });
  const queued = await queuePurge(deps, user.id, user.purgeAt!, { replace: true });
  return { user: toAdminUser(user, now), queued };
}

/** Everything that lets the user (or someone holding their links) in, gone at once; the purge deletes the rows later. */
async function revokeAccess(em: EntityManager, userId: string, now: Date): Promise<Record<string, number>> {
  const run = async (sql: string, params: unknown[]) =>
    ((await em.execute(sql, params, 'run')) as { affectedRows: number }).affectedRows;
  return {
    sessions: await run(`delete from sessions where user_id = ?`, [userId]),
    invitations: await run(
      `update invitations set revoked_at = ? where invited_by_id = ? and accepted_at is null and revoked_at is null`,
      [now, userId],
    ),
    resetTokens: await run(`update password_reset_tokens set used_at = ? where user_id = ? and used_at is null`, [now, userId]),
    // API keys join this list when they exist.
  };
}
