import { User } from '@roster/db';
import type { CoreDeps } from '../deps.ts';
import { toAdminUser, type AdminUserDto } from './dto.ts';
import { escapeLike } from './fields.ts';

export const USER_ORDER_FIELDS = ['name', 'email', 'role', 'createdAt', 'lastActiveAt', 'usage'] as const;

export interface ListUsersInput {
  query?: string;
  roles?: User['role'][];
  statuses?: User['status'][];
  orderBy?: (typeof USER_ORDER_FIELDS)[number];
  direction?: 'asc' | 'desc';
  page: number;
  pageSize: number;
}



/**
 * Case-insensitive substring search on name and email: ILIKE is served by
 * the pg_trgm GIN indexes on both columns, so it stays fast at scale.
 * Deleted users are hidden unless asked for.
 */
export async function listUsers(deps: CoreDeps, input: ListUsersInput): Promise<{ items: AdminUserDto[]; total: number }> {
  const where: Record<string, unknown>[] = [];
  const q = input.query?.trim().toLowerCase();
  if (q) {
    const like = `%${escapeLike(q)}%`;
    where.push({ $or: [{ name: { $ilike: like } }, { email: { $ilike: like } }] });
  }
  if (input.roles?.length) where.push({ role: { $in: input.roles } });
  where.push({ status: { $in: input.statuses?.length ? input.statuses : ['active', 'suspended'] } });
  const field = input.orderBy === 'usage' ? 'usageBytes' : (input.orderBy ?? 'createdAt');
  // Never-seen users (no lastActiveAt) sort last both ways; PostgreSQL would put them first when descending.
  const dir = field === 'lastActiveAt' ? `${input.direction ?? 'asc'} nulls last` : (input.direction ?? 'asc');
  const [rows, total] = await deps.em.findAndCount(User, { $and: where } as never, {
    orderBy: { [field]: dir, id: 'asc' } as never,
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  });
  const now = deps.clock.now();
  return { items: rows.map((u) => toAdminUser(u, now)), total };
}

