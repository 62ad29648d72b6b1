import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { findGroupOrFail, type BulkMembersResult } from './dto.ts';

/**
 * Removes users from a group; ids that are not members (or no user at all)
 * are reported per id, and repeating the call changes nothing. Audited in
 * the same transaction. A queued expiry job finds no row and does nothing.
 */
export async function removeMembers(
  deps: CoreDeps,
  actor: Actor,
  input: { groupId: string; userIds: string[] },
  via: 'admin' | 'manager' = 'admin',
): Promise<BulkMembersResult> {
  const group = await findGroupOrFail(deps.em, input.groupId);
  const ids = [...new Set(input.userIds)];
  const results = await deps.em.transactional(async (em) => {
    const rows = await em.execute<{ id: string; known: boolean; removed: boolean }[]>(
      `with ids as (select value::uuid as id, ordinality as n from jsonb_array_elements_text(?::jsonb) with ordinality),
            d as (delete from group_members m where m.group_id = ? and m.user_id in (select id from ids) returning m.user_id)
       select ids.id, exists (select 1 from users u where u.id = ids.id) as known, d.user_id is not null as removed
         from ids left join d on d.user_id = ids.id order by ids.n`,
      [JSON.stringify(ids), group.id],
    );
    const out = rows.map((r) => ({ userId: r.id, outcome: r.removed ? ('removed' as const) : r.known ? ('notMember' as const) : ('notFound' as const) }));
    const removed = out.filter((r) => r.outcome === 'removed').map((r) => r.userId);
    if (removed.length)
      recordAudit(em, { actorId: actor.id, action: 'group.members.remove', targetId: group.id, details: { via, groupName: group.name, removed } });
    return out;
  });
  return { groupId: group.id, results };
}
