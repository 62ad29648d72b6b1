import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { findGroupOrFail } from './dto.ts';

/** Deletes a group and its memberships (never the users), audited with what it held. */
export async function deleteGroup(deps: CoreDeps, actor: Actor, id: string): Promise<{ id: string; removedMemberships: number }> {
  return deps.em.transactional(async (em) => {
    const group = await findGroupOrFail(em, id);
    const [row] = await em.execute<{ n: number }[]>(
      `with d as (delete from group_members where group_id = ? returning 1) select count(*)::int as n from d`,
      [id],
    );
    const removedMemberships = Number(row?.n ?? 0);
    recordAudit(em, {
      actorId: actor.id,
      action: 'group.delete',
      targetId: id,
      details: { name: group.name, grants: group.grants, denies: group.denies, removedMemberships },
    });
    em.remove(group);
    return { id, removedMemberships };
  });
}
