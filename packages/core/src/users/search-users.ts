import { User } from '@roster/db';
import type { CoreDeps } from '../deps.ts';
import { toPublicUser, type PublicUserDto } from './dto.ts';
import { nameOrEmailContains } from './fields.ts';


/** For pickers: any signed-in user finds active users by name (email too, but it is never returned). */
export async function searchUsers(deps: CoreDeps, query: string, limit = 20): Promise<PublicUserDto[]> {
  const rows = await deps.em.find(
    User,
    { status: 'active', role: { $ne: 'pending' }, ...nameOrEmailContains(query.trim()) },
    { fields: ['id', 'name', 'avatarUrl'], orderBy: { name: 'asc' }, limit },
  );
  return rows.map(toPublicUser);
}
