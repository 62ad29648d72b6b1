import { raw } from '@mikro-orm/core';
import { User } from '@roster/db';
import type { CoreDeps } from '../deps.ts';
import { ADMIN_USER_FIELDS, toAdminUser, type AdminUserDto, type UserRow } from './dto.ts';
import { nameOrEmailContains, nameOrEmailContainsIndexed } from './fields.ts';

export const USER_ORDER_FIELDS = ['name', 'email', 'role', 'createdAt', 'lastActiveAt', 'usage'] as const;
type OrderField = (typeof USER_ORDER_FIELDS)[number];

/**
 * Totals up to this are exact; beyond it they are the planner's estimate.
 * Counting every match of a broad search ("a", "gmail") reads every matching
 * row, which no index avoids. It also bounds the candidate query: taking a
 * match through the search index costs about 2.5 µs, walking a sort index
 * 0.3 µs a row (bench/search.ts), so past a thousand matches the walk finds
 * a page sooner than sorting them all would.
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
 * search_text, migrations 0007 and 0008). Deleted users are hidden unless
 * asked for. bench/search.ts measures it at a million users.
 */
export async function listUsers(deps: CoreDeps, input: ListUsersInput): Promise<UserPage> {
  const field = input.orderBy ?? 'createdAt';
  const where: Record<string, unknown>[] = [];
  if (input.roles?.length) where.push({ role: { $in: input.roles } });
  where.push({ status: { $in: input.statuses?.length ? input.statuses : ['active', 'suspended'] } });
  const page = await findUserPage(deps, {
    query: input.query,
    where,
    fields: ADMIN_USER_FIELDS,
    orderBy: field === 'usage' ? 'usageBytes' : field,
    direction: input.direction ?? 'asc',
    // Never-seen users (no lastActiveAt) sort last both ways; PostgreSQL would put them first when descending.
    nullsLast: field === 'lastActiveAt',
    offset: (input.page - 1) * input.pageSize,
    limit: input.pageSize,
  });
  const now = deps.clock.now();
  const items = page.rows.map((u) => toAdminUser(u, now));
  return page.estimated ? { items, total: page.total, totalEstimated: true } : { items, total: page.total };
}

type UserField = keyof User & string;

export interface UserPageQuery<F extends UserField> {
  query?: string;
  where: Record<string, unknown>[];
  /** The columns each row carries, as plain values (timestamps as PostgreSQL text): no entity is built. */
  fields: readonly F[];
  orderBy: UserField;
  direction: 'asc' | 'desc';
  nullsLast?: boolean;
  offset: number;
  limit: number;
}

/**
 * One page of users matching a search, sorted, with the number of matches.
 *
 * A search the planner expects to match few users takes up to
 * EXACT_TOTAL_LIMIT + 1 matches through the search index in any order, in
 * one query that returns their count and the asked page; when that is all of
 * them, the page is sorted from those. Broad searches (and those that turn
 * out to match more) walk the index of the sort column and filter (for the
 * default order an index-only scan, migration 0008), which finds the page
 * quickly because matches are dense, and report the planner's estimate as
 * the total. Neither path depends on how well the planner guessed: each does
 * work bounded by about EXACT_TOTAL_LIMIT matches or pageSize × users ÷
 * matches index entries.
 *
 * Rows are read as plain values: building MikroORM entities for a page cost
 * more than the queries.
 */
export async function findUserPage<F extends UserField>(
  deps: CoreDeps,
  q: UserPageQuery<F>,
): Promise<{ rows: Pick<UserRow, F>[]; total: number; estimated: boolean }> {
  const term = q.query?.trim();
  // Built per query: a raw fragment is consumed by the query that uses it.
  const filter = (indexed: boolean) =>
    ({ $and: term ? [...q.where, indexed ? nameOrEmailContainsIndexed(term) : nameOrEmailContains(term)] : q.where }) as never;
  const meta = deps.em.getMetadata(User);
  const column = (field: UserField) => meta.properties[field].fieldNames[0]!;
  /** Sort keys and ids only, so the walk can stay in a covering index; the page's rows are joined on afterwards. */
  const keys = (indexed: boolean) =>
    deps.em
      .fork()
      .createQueryBuilder(User, 'u0')
      .select([raw('u0.id as id'), raw(`u0.${column(q.orderBy)} as k`)])
      .where(filter(indexed))
      .toQuery();
  // The id tie-break runs the same way as the sort, so one index scanned either way serves both directions (migration 0008).
  const order = (of = '') => `${of}k ${q.direction}${q.nullsLast ? ' nulls last' : ''}, ${of}id ${q.direction}`;
  const fields = [...new Set<UserField>(['id', ...q.fields])];
  const columns = fields.map((f) => `u.${column(f)} as "${f}"`).join(', ');
  type Row = { n?: number } & Pick<UserRow, F | 'id'>;
  const pageOf = (rows: Row[]) => rows.filter((r) => r.id != null).map(({ n: _, ...row }) => row as Pick<UserRow, F>);

  const estimate = await plannedRows(deps, filter(false));
  if (estimate <= SURELY_BROAD) {
    const candidates = keys(true);
    const rows = await deps.em.execute<Row[]>(
      `with m as materialized (${candidates.sql} limit ${EXACT_TOTAL_LIMIT + 1}),
            p as (select id, k from m order by ${order()} offset ? limit ?)
       select (select count(*)::int from m) as n, ${columns}
         from (select) as one left join p on true left join users u on u.id = p.id
        order by ${order('p.')}`,
      [...candidates.params, q.offset, q.limit],
    );
    const n = rows[0]!.n!;
    if (n <= EXACT_TOTAL_LIMIT) return { rows: pageOf(rows), total: n, estimated: false };
  }
  const walk = keys(false);
  const rows = await deps.em.execute<Row[]>(
    `with p as (${walk.sql} order by ${order()} offset ? limit ?)
     select ${columns} from p join users u on u.id = p.id order by ${order('p.')}`,
    [...walk.params, q.offset, q.limit],
  );
  return { rows: pageOf(rows), total: Math.max(EXACT_TOTAL_LIMIT + 1, estimate), estimated: true };
}

/** How many users the planner expects the filter to match, from the statistics; no row is read. */
async function plannedRows(deps: CoreDeps, filter: never): Promise<number> {
  const q = deps.em.fork().createQueryBuilder(User, 'u0').select(raw('1')).where(filter).toQuery();
  const [row] = await deps.em.execute<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }[]>(`explain (format json) ${q.sql}`, [
    ...q.params,
  ]);
  return Math.round(row!['QUERY PLAN'][0].Plan['Plan Rows']);
}
