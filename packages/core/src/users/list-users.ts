import { raw } from '@mikro-orm/core';
import { User } from '@roster/db';
import type { CoreDeps } from '../deps.ts';
import { ADMIN_USER_FIELDS, toAdminUser, type AdminUserDto, type UserRow } from './dto.ts';
import { textArrayLiteral } from '../sql-literals.ts';
import { nameOrEmailContains, nameOrEmailContainsIndexed, searchTerm } from './fields.ts';
import { expectedRows, plannedRows, searchKeyHint, searchStats } from './match-estimate.ts';
import { pageFromBlocks } from './search-blocks.ts';

export const USER_ORDER_FIELDS = ['name', 'email', 'role', 'createdAt', 'lastActiveAt', 'usage'] as const;
type OrderField = (typeof USER_ORDER_FIELDS)[number];

/**
 * Totals up to this are exact; beyond it they are shown as estimates
 * (`totalEstimated`): counting every match of a broad search ("a", "gmail")
 * reads every matching row, which no index avoids.
 */
export const EXACT_TOTAL_LIMIT = 1000;
/**
 * Candidates: up to CANDIDATE_LIMIT matches taken through the search index
 * and sorted (a top-N heapsort). Taking a match that way costs a table row
 * read, about 8 times the cost of an entry of a covering sort index
 * (bench/peers at a million users), so:
 * - few expected matches (≤ FEW): always the candidates;
 * - more: the walk of the sort index, which finds a page after about
 *   page end × users ÷ matches entries when matches are spread through the
 *   order. It reads at most WALK_SLACK times that many entries (at least
 *   MIN_WALK), and the candidates answer when those hold no full page.
 *   Sorted by name or email, which the term itself matches, the matches may
 *   sit together anywhere in that order (every "Olivia" among the O's), so
 *   the walk there is short (CLUSTER_SLACK, MIN_CLUSTER_WALK).
 */
const FEW = 2_000;
export const CANDIDATE_LIMIT = 50_000;
const WALK_SLACK = 8;
const MIN_WALK = 20_000;
/** Sorted by name or email a broad term's matches may sit together far down the order: a short walk, then the candidates. */
const CLUSTER_SLACK = 2;
const MIN_CLUSTER_WALK = 2_000;

export interface ListUsersInput {
  query?: string;
  roles?: User['role'][];
  statuses?: User['status'][];
  /** Live members of any of these groups (groups/). */
  groupIds?: string[];
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
  const where: UserPageQuery<UserField>['where'] = [];
  if (input.roles?.length) where.push({ role: { $in: input.roles } });
  where.push({ status: { $in: input.statuses?.length ? input.statuses : ['active', 'suspended'] } });
  if (input.groupIds?.length) where.push(() => inGroups(input.groupIds!));
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

/** Live members of any of the groups; a raw fragment, so `where` holds a function building it afresh for each query. */
export function inGroups(groupIds: string[]): Record<string, never[]> {
  return {
    [raw(
      (a) =>
        `exists (select 1 from group_members gm where gm.user_id = ${a}.id and gm.group_id in (select value::uuid from jsonb_array_elements_text(?::jsonb)) and (gm.expires_at is null or gm.expires_at > now()))`,
      [JSON.stringify(groupIds)],
    )]: [],
  };
}

type UserField = keyof User & string;

export interface UserPageQuery<F extends UserField> {
  query?: string;
  /** Conditions; a function is called for each query (a raw fragment is consumed by the query that uses it). */
  where: (Record<string, unknown> | (() => Record<string, unknown>))[];
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
 * Two paths (FEW, CANDIDATE_LIMIT above say which comes first), each doing
 * bounded work whatever the planner guessed:
 * - candidates: up to CANDIDATE_LIMIT + 1 matches taken through the search
 *   index in any order, in one query that counts them, sorts them (top-N)
 *   and returns the asked page. Cost ∝ matches, not users.
 * - walk: the index of the sort column read in order and filtered
 *   (index-only for every sort column, migration 0016), which finds a page
 *   quickly when matches are spread through the order. It reads at most a
 *   budget of entries; for a term it runs in one statement with the capped
 *   candidates, which PostgreSQL executes only when the walked entries hold
 *   no full page; past the cap every match is sorted.
 * Totals are exact up to EXACT_TOTAL_LIMIT; beyond it a count taken on the
 * way is returned, else the estimate from the statistics (expectedRows),
 * flagged `estimated`.
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
  const hint = term ? searchKeyHint(await searchStats(deps), term) : [];
  const filter = (indexed: boolean) => {
    const where = q.where.map((w) => (typeof w === 'function' ? w() : w));
    return { $and: term ? [...where, indexed ? nameOrEmailContainsIndexed(term, hint) : nameOrEmailContains(term)] : where } as never;
  };
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
  type Row = { n?: number; walked?: boolean } & Pick<UserRow, F | 'id'>;
  const pageOf = (rows: Row[]) => rows.filter((r) => r.id != null).map(({ n: _n, walked: _w, ...row }) => row as Pick<UserRow, F>);
  const total = (n: number) => ({ total: n, estimated: n > EXACT_TOTAL_LIMIT });

  /** Up to `cap` matches through the search index (every one when cap is null), counted, sorted, the page joined on. */
  const sorted = async (cap: number | null) => {
    const candidates = keys(true);
    const rows = await deps.em.execute<Row[]>(
      `with m as materialized (${candidates.sql}${cap == null ? '' : ` limit ${cap + 1}`}),
            p as (select id, k from m order by ${order()} offset ? limit ?)
       select (select count(*)::int from m) as n, ${columns}
         from (select) as one left join p on true left join users u on u.id = p.id
        order by ${order('p.')}`,
      [...candidates.params, q.offset, q.limit],
    );
    return { rows: pageOf(rows), n: rows[0]!.n! };
  };

  const stats = await searchStats(deps);
  // A condition built by a function (group membership) is beyond the statistics kept here: the planner estimates it.
  const estimate = q.where.some((w) => typeof w === 'function') ? await plannedRows(deps, filter(false)) : expectedRows(stats, term, q.where as Record<string, unknown>[]);
  const end = q.offset + q.limit;
  const estimatedTotal = { total: Math.max(EXACT_TOTAL_LIMIT + 1, estimate), estimated: true };
  if (estimate <= FEW || (!term && estimate <= 10 * EXACT_TOTAL_LIMIT)) {
    const found = await sorted(CANDIDATE_LIMIT);
    if (found.n <= CANDIDATE_LIMIT) return { rows: found.rows, ...total(found.n) };
  }
  if (!term) {
    // Every row matches: the walk reads the page and nothing else.
    const walk = keys(false);
    const rows = await deps.em.execute<Row[]>(
      `with p as (${walk.sql} order by ${order()}), f as (select id, k from p offset ? limit ?)
       select ${columns} from f join users u on u.id = f.id order by ${order('f.')}`,
      [...walk.params, q.offset, q.limit],
    );
    return { rows: pageOf(rows), ...estimatedTotal };
  }
  if (q.orderBy === 'name' || q.orderBy === 'email') {
    // Sorted by what the term matches: the skip index reads only the blocks that may hold matches.
    const found = await pageFromBlocks(deps, { sort: q.orderBy, walk: keys(false), term: searchTerm(term), hint, direction: q.direction, offset: q.offset, limit: q.limit });
    if (found) return { rows: await rowsByIds(deps, found.ids, columns), ...(found.total == null ? estimatedTotal : total(found.total)) };
  }
  // Broad term: in one statement, the walk of the first `budget` entries of the sort index; when they hold
  // no full page, the capped candidates instead (a branch PostgreSQL runs only when its one-time filter holds).
  const clusters = q.orderBy === 'name' || q.orderBy === 'email';
  const budget = Math.max(clusters ? MIN_CLUSTER_WALK : MIN_WALK, Math.ceil(((clusters ? CLUSTER_SLACK : WALK_SLACK) * end * stats.rows) / estimate));
  const walk = keys(false);
  // The budget bounds the entries read, not the matches: the filter applies outside the limited scan, which
  // carries only what the covering sort indexes hold (the conditions are on status, role and search_text;
  // the pickers' name condition comes with the name order).
  const bounded = walk.sql.replace(
    /from "users" as "u0"/,
    `from (select ${[...new Set(['id', column(q.orderBy), 'status', 'role', 'search_text'])].join(', ')} from users
            order by ${column(q.orderBy)} ${q.direction}${q.nullsLast ? ' nulls last' : ''}, id ${q.direction} limit ${budget}) as "u0"`,
  );
  if (bounded === walk.sql) throw new Error('findUserPage: unexpected walk query');
  const candidates = keys(true);
  const rows = await deps.em.execute<Row[]>(
    `with w as (select id, k from (${bounded}) as p order by ${order()} offset ? limit ?),
          m as materialized (${candidates.sql} limit ${CANDIDATE_LIMIT + 1}),
          c as (select id, k from m order by ${order()} offset ? limit ?)
     (select true as walked, null::int as n, ${columns} from w join users u on u.id = w.id
       where (select count(*) from w) = ? order by ${order('w.')})
     union all
     (select false, (select count(*)::int from m), ${columns} from (select) as one left join c on true left join users u on u.id = c.id
       where (select count(*) from w) < ? order by ${order('c.')})`,
    [...walk.params, q.offset, q.limit, ...candidates.params, q.offset, q.limit, q.limit, q.limit],
  );
  if (rows[0]?.walked) return { rows: pageOf(rows), ...estimatedTotal };
  const n = rows[0]!.n!;
  if (n <= CANDIDATE_LIMIT) return { rows: pageOf(rows), ...total(n) };
  // More matches than the cap and none in the walked entries: sorting every match settles it.
  const all = await sorted(null);
  return { rows: all.rows, ...total(all.n) };
}

/** The users with these ids, in this order, as plain values. */
async function rowsByIds<R>(deps: CoreDeps, ids: string[], columns: string): Promise<R[]> {
  if (!ids.length) return [];
  return deps.em.execute<R[]>(
    `select ${columns} from unnest(?::uuid[]) with ordinality as p(id, o) join users u on u.id = p.id order by p.o`,
    [textArrayLiteral(ids)],
  );
}
