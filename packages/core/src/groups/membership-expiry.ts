import { recordAudit } from '../audit/record-audit.ts';
import type { CoreDeps } from '../deps.ts';
import { withTimeout } from '../deletion/purge-job.ts';

/** The job that ends one time-boxed membership; its processor lives in packages/jobs. */
export const MEMBERSHIP_EXPIRE_JOB = 'group.membership.expire';

/** One job per membership (BullMQ 6 refuses one `:` in custom ids, hence dots), so re-queueing replaces it. */
export const membershipExpireJobId = (groupId: string, userId: string) => `${MEMBERSHIP_EXPIRE_JOB}.${groupId}.${userId}`;

/**
 * Queues the removal of a membership when it expires (after the database's
 * clock). An earlier job for the same membership is replaced, since the
 * expiry may have moved earlier. Returns false instead of throwing when
 * Redis is unreachable: the row says when it ends, effective permissions
 * already ignore it then, and the worker's sweep removes it.
 */
export async function queueMembershipExpiry(deps: Pick<CoreDeps, 'jobs'>, groupId: string, userId: string, delayMs: number): Promise<boolean> {
  const jobId = membershipExpireJobId(groupId, userId);
  try {
    await withTimeout(deps.jobs.cancel(jobId)).catch(() => false);
    await withTimeout(deps.jobs.enqueue(MEMBERSHIP_EXPIRE_JOB, { groupId, userId }, { jobId, delayMs: Math.max(0, delayMs) }));
    return true;
  } catch (err) {
    console.warn(`[groups] expiry of ${groupId}/${userId} not queued (${(err as Error).message}); the worker's sweep removes it`);
    return false;
  }
}

type Expired = { group_id: string; user_id: string; expires_at: Date | string; manager: boolean; group_name: string };

const auditExpired = (em: CoreDeps['em'], rows: Expired[], via: 'job' | 'sweep') => {
  for (const r of rows)
    recordAudit(em, {
      actorId: null,
      action: 'group.member.expired',
      targetId: r.user_id,
      details: { groupId: r.group_id, groupName: r.group_name, expiresAt: new Date(r.expires_at).toISOString(), manager: r.manager, via },
    });
};

const DELETE_EXPIRED = (where: string) => `
  with d as (delete from group_members m where m.expires_at <= now() - make_interval(secs => ?) ${where}
             returning m.group_id, m.user_id, m.expires_at, m.manager)
  select d.*, g.name as group_name from d join groups g on g.id = d.group_id`;

/**
 * The processor's work: the row decides. Expired → removed and audited in
 * one transaction; gone or made permanent → nothing; moved later → the
 * caller waits `dueInMs` more.
 */
export async function expireMembership(
  deps: Pick<CoreDeps, 'em'>,
  groupId: string,
  userId: string,
): Promise<{ outcome: 'expired' | 'gone' } | { outcome: 'not-due'; dueInMs: number }> {
  return deps.em.transactional(async (em) => {
    const removed = await em.execute<Expired[]>(DELETE_EXPIRED('and m.group_id = ? and m.user_id = ?'), [0, groupId, userId]);
    if (removed.length) {
      auditExpired(em, removed, 'job');
      return { outcome: 'expired' as const };
    }
    const [row] = await em.execute<{ due_in_ms: string | null }[]>(
      `select ceil(extract(epoch from expires_at - now()) * 1000) as due_in_ms from group_members where group_id = ? and user_id = ?`,
      [groupId, userId],
    );
    if (!row || row.due_in_ms == null) return { outcome: 'gone' as const };
    return { outcome: 'not-due' as const, dueInMs: Math.max(0, Number(row.due_in_ms)) };
  });
}

/**
 * The sweep's catch-up: every membership more than `graceMs` past its
 * expiry (its job lost or late; the grace leaves on-time work to the job)
 * removed and audited in one transaction.
 */
export async function expireDueMemberships(deps: Pick<CoreDeps, 'em'>, graceMs = 2_000): Promise<number> {
  return deps.em.transactional(async (em) => {
    const removed = await em.execute<Expired[]>(DELETE_EXPIRED(''), [graceMs / 1000]);
    auditExpired(em, removed, 'sweep');
    return removed.length;
  });
}

/** Memberships ending within `ms` (the sweep makes sure each has its job), with their delay by the database's clock. */
export async function membershipsEndingWithin(
  deps: Pick<CoreDeps, 'em'>,
  ms: number,
  limit = 1000,
): Promise<{ groupId: string; userId: string; dueInMs: number }[]> {
  const rows = await deps.em.execute<{ group_id: string; user_id: string; due_in_ms: string }[]>(
    `select group_id, user_id, greatest(0, ceil(extract(epoch from expires_at - now()) * 1000)) as due_in_ms
       from group_members where expires_at is not null and expires_at <= now() + make_interval(secs => ?)
      order by expires_at limit ?`,
    [ms / 1000, limit],
  );
  return rows.map((r) => ({ groupId: r.group_id, userId: r.user_id, dueInMs: Number(r.due_in_ms) }));
}
