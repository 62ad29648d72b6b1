import type { CoreDeps } from '../deps.ts';
import type { AdminUserDto } from '../users/dto.ts';
import { listUsers, type ListUsersInput, type UserPage } from '../users/list-users.ts';
import { groupsOfUsers } from './user-groups.ts';

/**
 * `admin.users.list`: the page of users, each with their live groups (one
 * more indexed query for the page). Typed optional so the web's components
 * that take a list row also take a user's detail (which has no `groups`).
 */
export async function listUsersWithGroups(
  deps: CoreDeps,
  input: ListUsersInput,
): Promise<Omit<UserPage, 'items'> & { items: (AdminUserDto & { groups?: { id: string; name: string }[] })[] }> {
  const page = await listUsers(deps, input);
  const groups = await groupsOfUsers(deps, page.items.map((u) => u.id));
  return { ...page, items: page.items.map((u) => ({ ...u, groups: groups.get(u.id) ?? [] })) };
}
