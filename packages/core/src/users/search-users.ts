import type { CoreDeps } from '../deps.ts';
import { toPublicUser, type PublicUserDto } from './dto.ts';
import { findUserPage } from './list-users.ts';

/** For pickers: any signed-in user finds active users by name (email too, but it is never returned). */
export async function searchUsers(deps: CoreDeps, query: string, limit = 20): Promise<PublicUserDto[]> {
  const { rows } = await findUserPage(deps, {
    query,
    where: [{ status: 'active' }, { role: { $ne: 'pending' } }],
    fields: ['id', 'name', 'avatarUrl'],
    orderBy: 'name',
    direction: 'asc',
    offset: 0,
    limit,
  });
  return rows.map(toPublicUser);
}
