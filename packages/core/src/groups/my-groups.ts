import type { Actor, CoreDeps } from '../deps.ts';
import { LIVE, readMembers, type GroupMemberDto } from './dto.ts';

export interface MyGroupDto {
  id: string;
  name: string;
  description: string | null;
  manager: boolean;
  expiresAt: string | null;
  memberCount: number;
  /** Only for the groups the caller manages (names, no emails). */
  members?: GroupMemberDto[];
}

/** The caller's live memberships; for those they manage, the members they may add to and remove from. */
export async function myGroups(deps: Pick<CoreDeps, 'em'>, actor: Actor): Promise<{ items: MyGroupDto[] }> {
  const rows = await deps.em.execute<{ id: string; name: string; description: string | null; manager: boolean; expires_at: Date | string | null; member_count: number }[]>(
    `select g.id, g.name, g.description, m.manager, m.expires_at,
            (select count(*)::int from group_members m2 where m2.group_id = g.id and (m2.expires_at is null or m2.expires_at > now())) as member_count
       from group_members m join groups g on g.id = m.group_id
      where m.user_id = ? and ${LIVE} order by lower(g.name), g.id`,
    [actor.id],
  );
  const items: MyGroupDto[] = [];
  for (const r of rows) {
    items.push({
      id: r.id,
      name: r.name,
      description: r.description ?? null,
      manager: r.manager,
      expiresAt: r.expires_at ? new Date(r.expires_at).toISOString() : null,
      memberCount: Number(r.member_count),
      ...(r.manager ? { members: await readMembers(deps.em, r.id, { withEmail: false }) } : {}),
    });
  }
  return { items };
}
