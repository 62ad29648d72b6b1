import { recordAudit } from '../audit/record-audit.ts';
import { databaseNow } from '../deletion/purge-job.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { findGroupOrFail, type BulkMembersResult, type MemberOutcome } from './dto.ts';
import { queueMembershipExpiry } from './membership-expiry.ts';

export interface AddMembersInput {
  groupId: string;
  userIds: string[];
  /** The membership ends then (a delayed job removes it); omitted or null: permanent. */
  expiresAt?: Date | null;
}

type Row = { id: string; known: boolean; was_live: boolean; written: boolean };

/**
 * Adds users to a group, or sets the expiry of those already in it: the
 * call states the membership wanted, so repeating it changes nothing.
 * Unknown (or deleted) users are reported per id, not fatal. An expired row
 * not yet removed counts as absent: it is replaced, not extended, and loses
 * its manager flag. One statement, audited in the same transaction; the
 * expiry jobs are queued after the commit.
 */
export async function addMembers(deps: CoreDeps, actor: Actor, input: AddMembersInput, via: 'admin' | 'manager' = 'admin'): Promise<BulkMembersResult> {
  const group = await findGroupOrFail(deps.em, input.groupId);
  const expiresAt = input.expiresAt ?? null;
  const now = await databaseNow(deps.em);
  if (expiresAt && expiresAt.getTime() <= now.getTime())
    throw new AppError('VALIDATION', 'The expiry must be in the future', { expiresAt: ['Must be in the future'] });
  const ids = [...new Set(input.userIds)];
  const rows = await deps.em.transactional(async (em) => {
    const res = await em.execute<Row[]>(
      `with ids as (select value::uuid as id, ordinality as n from jsonb_array_elements_text(?::jsonb) with ordinality),
            known as (select u.id from users u join ids on ids.id = u.id where u.status <> 'deleted'),
            prev as (select m.user_id, (m.expires_at is null or m.expires_at > now()) as live
                       from group_members m where m.group_id = ? and m.user_id in (select id from known)),
            up as (insert into group_members as m (group_id, user_id, expires_at)
                   select ?, id, ?::timestamptz from known
                   on conflict (group_id, user_id) do update
                     set expires_at = excluded.expires_at,
                         manager = m.manager and (m.expires_at is null or m.expires_at > now()),
                         added_at = case when m.expires_at is null or m.expires_at > now() then m.added_at else now() end
                     where m.expires_at is distinct from excluded.expires_at
                   returning m.user_id)
       select ids.id, k.id is not null as known, coalesce(p.live, false) as was_live, w.user_id is not null as written
         from ids left join known k on k.id = ids.id left join prev p on p.user_id = ids.id left join up w on w.user_id = ids.id
        order by ids.n`,
      [JSON.stringify(ids), group.id, group.id, expiresAt],
    );
    const results = res.map((r) => ({ userId: r.id, outcome: outcomeOf(r) }));
    const changed = results.filter((r) => r.outcome === 'added' || r.outcome === 'updated');
    if (changed.length)
      recordAudit(em, {
        actorId: actor.id,
        action: 'group.members.add',
        targetId: group.id,
        details: {
          via,
          groupName: group.name,
          added: changed.filter((r) => r.outcome === 'added').map((r) => r.userId),
          updated: changed.filter((r) => r.outcome === 'updated').map((r) => r.userId),
          expiresAt: expiresAt?.toISOString() ?? null,
        },
      });
    return results;
  });
  if (expiresAt) {
    const delay = expiresAt.getTime() - now.getTime();
    await Promise.all(
      rows.filter((r) => r.outcome === 'added' || r.outcome === 'updated').map((r) => queueMembershipExpiry(deps, group.id, r.userId, delay)),
    );
  }
  return { groupId: group.id, results: rows };
}

function outcomeOf(r: Row): MemberOutcome {
  if (!r.known) return 'notFound';
  if (r.was_live) return r.written ? 'updated' : 'unchanged';
  return 'added';
}
