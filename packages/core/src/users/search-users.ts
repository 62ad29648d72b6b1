import type { Actor, CoreDeps } from '../deps.ts';
import { requirePermission } from '../permissions/effective.ts';
import { hasScope } from '../permissions/scopes.ts';
import { toPublicUser, type PublicUserDto } from './dto.ts';
import { escapeLike } from './fields.ts';
import { findUserPage } from './list-users.ts';

/**
 * For pickers: any signed-in user finds active users by name. Only those who
 * may list users also match email fragments: otherwise typing "@acme" or
 * "ana." would confirm who has an account and guess their addresses
 * (emails are never returned either way).
 */
export async function searchUsers(deps: CoreDeps, actor: Pick<Actor, 'id' | 'role'>, query: string, limit = 20): Promise<PublicUserDto[]> {
  await requirePermission(deps, actor, 'users.search');
  // A plain operator, not a raw fragment: findUserPage reuses `where` in several queries.
  const byName = { name: { $ilike: `%${escapeLike(query.trim())}%` } };
  const { rows } = await findUserPage(deps, {
    query,
    where: [{ status: 'active' }, { role: { $ne: 'pending' } }, ...(hasScope(actor, 'user:list') ? [] : [byName])],
    fields: ['id', 'name', 'avatarUrl'],
    orderBy: 'name',
    direction: 'asc',
    offset: 0,
    limit,
  });
  return rows.map(toPublicUser);
}
