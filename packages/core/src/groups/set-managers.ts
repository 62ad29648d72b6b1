import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { findGroupOrFail, LIVE, type BulkMembersResult } from './dto.ts';

/**
 * Makes exactly these members the group's managers (every other member is
 * not one). Ids that are not live members are reported per id and change
 * nothing. Audited with the managers before and after.
 */
export async function setManagers(deps: CoreDeps, actor: Actor, input: { groupId: string; userIds: string[] }): Promise<BulkMembersResult & { managers: string[] }> {
  const group = await findGroupOrFail(deps.em, input.groupId);
  const ids = [...new Set(input.userIds)];
  return deps.em.transactional(async (em) => {
    const before = await managersOf(em, group.id);
    const rows = await em.execute<{ id: string; known: boolean; member: boolean }[]>(
      `with ids as (select value::uuid as id, ordinality as n from jsonb_array_elements_text(?::jsonb) with ordinality)
       select ids.id, exists (select 1 from users u where u.id = ids.id) as known,
              exists (select 1 from group_members m where m.group_id = ? and m.user_id = ids.id and ${LIVE}) as member
         from ids order by ids.n`,
      [JSON.stringify(ids), group.id],
    );
    const wanted = rows.filter((r) => r.member).map((r) => r.id);
    await em.execute(`update group_members set manager = (user_id = any(array(select value::uuid from jsonb_array_elements_text(?::jsonb)))) where group_id = ?`, [
      JSON.stringify(wanted),
      group.id,
    ]);
    const after = await managersOf(em, group.id);
    if (before.join() !== after.join())
      recordAudit(em, { actorId: actor.id, action: 'group.managers.set', targetId: group.id, details: { groupName: group.name, before, after } });
    const results = rows.map((r) => ({
      userId: r.id,
      outcome: !r.known ? ('notFound' as const) : !r.member ? ('notMember' as const) : ('manager' as const),
    }));
    return { groupId: group.id, results, managers: after };
  });
}

async function managersOf(em: CoreDeps['em'], groupId: string): Promise<string[]> {
  const rows = await em.execute<{ user_id: string }[]>(`select m.user_id from group_members m where m.group_id = ? and m.manager and ${LIVE} order by m.user_id`, [groupId]);
  return rows.map((r) => r.user_id);
}
