import { User } from '@roster/db';
import type { CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { LIVE } from './dto.ts';

export interface UserGroupDto {
  id: string;
  name: string;
  manager: boolean;
  expiresAt: string | null;
  addedAt: string;
}

/** A user's live memberships, for their detail page and `admin.users.groups`. */
export async function userGroups(deps: Pick<CoreDeps, 'em'>, userId: string): Promise<{ userId: string; items: UserGroupDto[] }> {
  if (!(await deps.em.count(User, { id: userId }))) throw new AppError('USER_NOT_FOUND');
  const rows = await deps.em.execute<{ id: string; name: string; manager: boolean; expires_at: Date | string | null; added_at: Date | string }[]>(
    `select g.id, g.name, m.manager, m.expires_at, m.added_at from group_members m join groups g on g.id = m.group_id
      where m.user_id = ? and ${LIVE} order by lower(g.name), g.id`,
    [userId],
  );
  return {
    userId,
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      manager: r.manager,
      expiresAt: r.expires_at ? new Date(r.expires_at).toISOString() : null,
      addedAt: new Date(r.added_at).toISOString(),
    })),
  };
}

/** Each listed user's live groups (id and name), in one query for a page of users. */
export async function groupsOfUsers(deps: Pick<CoreDeps, 'em'>, userIds: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>();
  if (userIds.length === 0) return out;
  const rows = await deps.em.execute<{ user_id: string; id: string; name: string }[]>(
    `select m.user_id, g.id, g.name from group_members m join groups g on g.id = m.group_id
      where m.user_id in (select value::uuid from jsonb_array_elements_text(?::jsonb)) and ${LIVE}
      order by lower(g.name), g.id`,
    [JSON.stringify(userIds)],
  );
  for (const r of rows) (out.get(r.user_id) ?? out.set(r.user_id, []).get(r.user_id)!).push({ id: r.id, name: r.name });
  return out;
}
