import { raw } from '@mikro-orm/core';
import { User } from '@roster/db';
import type { CoreDeps } from '../deps.ts';
import { toAdminUser, type AdminUserDto } from './dto.ts';
import { nameOrEmailContains } from './fields.ts';

export const USER_ORDER_FIELDS = ['name', 'email', 'role', 'createdAt', 'lastActiveAt', 'usage'] as const;
type OrderField = (typeof USER_ORDER_FIELDS)[number];
const ORDER_COLUMN: Record<OrderField, string> = {
  name: 'name',
  email: 'email',
  role: 'role',
  createdAt: 'created_at',
  lastActiveAt: 'last_active_at',
  usage: 'usage_bytes',
};

/**
 * Totals up to this are exact; beyond it they are the planner's estimate.
 * Counting every match of a broad search ("a", "gmail") reads every matching
 * row, which no index avoids.
 */
export const EXACT_TOTAL_LIMIT = 1000;
/** Above this many expected matches the count is not even tried: an estimate ten times the limit is not off by that much. */
const SURELY_BROAD = 10 * EXACT_TOTAL_LIMIT;

export interface ListUsersInput {
  query?: string;
  roles?: User['role'][];
  statuses?: User['status'][];
  orderBy?: OrderField;
  direction?: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export interface UserPage {
  items: AdminUserDto[];
  total: number;
  /** Present (true) when more than EXACT_TOTAL_LIMIT users match and `total` is an estimate: show it as "about …". */
  totalEstimated?: true;
}

/**
 * Case-insensitive substring search on name and email (the stored
 * search_text and its trigram index, migrations 0005 and 0007). Deleted
 * users are hidden unless asked for. bench/search.ts measures it at a
 * million users.
 *
 * A search the planner expects to match few users takes up to
 * EXACT_TOTAL_LIMIT + 1 matches in any order, in one query that returns
 * their count and the ids of the asked page; when that is all of them, the
 * page is sorted from those ids. Nothing then depends on how well the
 * planner guessed: ORDER BY … LIMIT over a misjudged term can walk most of
 * the table (4 s for "tterson6" in the bench). Broad matches run the ordered
 * page query, which finds its rows quickly because they are dense, and
 * report the planner's estimate as the total.
 */
export async function listUsers(deps: CoreDeps, input: ListUsersInput): Promise<UserPage> {
  // Built per query: a raw fragment is consumed by the query that uses it.
  const filter = () => {
    const where: Record<string, unknown>[] = [];
    const q = input.query?.trim();
    if (q) where.push(nameOrEmailContains(q));
    if (input.roles?.length) where.push({ role: { $in: input.roles } });
    where.push({ status: { $in: input.statuses?.length ? input.statuses : ['active', 'suspended'] } });
    return { $and: where } as never;
  };
  const field = input.orderBy ?? 'createdAt';
  const direction = input.direction ?? 'asc';
  // Never-seen users (no lastActiveAt) sort last both ways; PostgreSQL would put them first when descending.
  const nulls = field === 'lastActiveAt' ? ' nulls last' : '';
  const offset = (input.page - 1) * input.pageSize;
  const now = deps.clock.now();

  const orderedPage = async (estimate: number): Promise<UserPage> => {
    const rows = await deps.em.fork().find(User, filter(), {
      orderBy: { [field === 'usage' ? 'usageBytes' : field]: `${direction}${nulls}`, id: 'asc' } as never,
      limit: input.pageSize,
      offset,
    });
    return { items: rows.map((u) => toAdminUser(u, now)), total: Math.max(EXACT_TOTAL_LIMIT + 1, estimate), totalEstimated: true };
  };

  const estimate = await plannedRows(deps, filter());
  if (estimate > SURELY_BROAD) return orderedPage(estimate);

  const candidates = deps.em
    .fork()
    .createQueryBuilder(User, 'u0')
    .select([raw('u0.id as id'), raw(`u0.${ORDER_COLUMN[field]} as k`)])
    .where(filter())
    .limit(EXACT_TOTAL_LIMIT + 1)
    .toQuery();
  const [head] = await deps.em.execute<{ n: number; ids: string[] | null }[]>(
    `select count(*)::int as n,
            (array_agg(id order by k ${direction}${nulls}, id asc))[${offset + 1}:${offset + input.pageSize}] as ids
       from (${candidates.sql}) m`,
    [...candidates.params],
  );
  if (head!.n > EXACT_TOTAL_LIMIT) return orderedPage(estimate);
  const ids = head!.ids ?? [];
  const rows = ids.length ? await deps.em.fork().find(User, { id: { $in: ids } }) : [];
  const byId = new Map(rows.map((u) => [u.id, u]));
  return { items: ids.flatMap((id) => (byId.has(id) ? [toAdminUser(byId.get(id)!, now)] : [])), total: head!.n };
}

/** How many users the planner expects the filter to match, from the statistics; no row is read. */
async function plannedRows(deps: CoreDeps, filter: never): Promise<number> {
  const q = deps.em.fork().createQueryBuilder(User, 'u0').select(raw('1')).where(filter).toQuery();
  const [row] = await deps.em.execute<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }[]>(`explain (format json) ${q.sql}`, [
    ...q.params,
  ]);
  return Math.round(row!['QUERY PLAN'][0].Plan['Plan Rows']);
}
