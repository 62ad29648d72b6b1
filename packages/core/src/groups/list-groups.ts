import type { CoreDeps } from '../deps.ts';
import { escapeLike } from '../users/fields.ts';
import { GROUP_SQL, MAX_MEMBERS_SHOWN, readGroup, readMembers, toGroupDto, type GroupDetailDto, type GroupDto } from './dto.ts';

/** Every group (instances have tens, not thousands), by name; `query` filters names case-insensitively. */
export async function listGroups(deps: Pick<CoreDeps, 'em'>, input: { query?: string } = {}): Promise<{ items: GroupDto[] }> {
  const term = input.query?.trim();
  const rows = await deps.em.execute<Parameters<typeof toGroupDto>[0][]>(
    GROUP_SQL(term ? `where g.name ilike ?` : ''),
    term ? [`%${escapeLike(term)}%`] : [],
  );
  return { items: rows.map(toGroupDto) };
}

/** A group with its live members (managers first), for admins. */
export async function getGroup(deps: Pick<CoreDeps, 'em'>, id: string): Promise<GroupDetailDto & { membersTruncated?: true }> {
  const group = await readGroup(deps.em, id);
  const members = await readMembers(deps.em, id, { withEmail: true });
  return { ...group, members, ...(members.length >= MAX_MEMBERS_SHOWN && group.memberCount > members.length ? { membersTruncated: true as const } : {}) };
}
