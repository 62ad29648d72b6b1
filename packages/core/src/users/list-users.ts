import { raw } from '@mikro-orm/core';
import { User } from '@roster/db';
import type { CoreDeps } from '../deps.ts';
import { ADMIN_USER_FIELDS, toAdminUser, type AdminUserDto, type UserRow } from './dto.ts';
import { nameOrEmailContains, nameOrEmailContainsIndexed } from './fields.ts';

export const USER_ORDER_FIELDS = ['name', 'email', 'role', 'createdAt', 'lastActiveAt', 'usage'] as const;
type OrderField = (typeof USER_ORDER_FIELDS)[number];

/**
 * Totals up to this are exact; beyond it they are shown as estimates
 * (`totalEstimated`): counting every match of a broad search ("a", "gmail")
 * reads every matching row, which no index avoids.
 */
export const EXACT_TOTAL_LIMIT = 1000;
/**
 * Candidates: a search expected to match up to this many users may take all
 * its matches through the search index and sort them (a top-N heapsort).
 * Taking a match that way costs a table row read, about 8 times the cost of
 * an entry of a covering sort index (bench/peers at a million users), so:
 * - few expected matches (≤ FEW): always the candidates;
 * - sorted by name or email, which the term itself matches, up to
 *   CANDIDATE_LIMIT: the candidates too, because the matches may sit
 *   together anywhere in that order (every "Olivia" among the O's), where a
 *   walk from the start would read most of the index;
 * - otherwise the walk of the sort index, which finds a page after about
 *   page end × users ÷ matches entries when matches are spread through the
 *   order; it stops after WALK_SLACK times that many (at least MIN_WALK), and
 *   then every match is sorted instead.
 */
const FEW = 2_000;
export const CANDIDATE_LIMIT = 50_000;
const WALK_SLACK = 8;
const MIN_WALK = 20_000;

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
 * Two paths (FEW, CANDIDATE_LIMIT above say which comes first), each doing
 * bounded work whatever the planner guessed:
 * - candidates: up to CANDIDATE_LIMIT + 1 matches taken through the search
 *   index in any order, in one query that counts them, sorts them (top-N)
 *   and returns the asked page. Cost ∝ matches, not users.
 * - walk: the index of the sort column read in order and filtered
 *   (index-only for every sort column, migration 0016), which finds a page
 *   quickly when matches are spread through the order. It is capped at
 *   WALK_SLACK times the entries it should need; matches clustered far down
 *   the order exhaust it, and then every match is sorted.
 * Totals are exact up to EXACT_TOTAL_LIMIT; beyond it a count taken on the
 * way is returned, else the planner's estimate, flagged `estimated`.
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
  const hint = term ? await searchKeyHint(deps, term) : [];
  const filter = (indexed: boolean) =>
    ({ $and: term ? [...q.where, indexed ? nameOrEmailContainsIndexed(term, hint) : nameOrEmailContains(term)] : q.where }) as never;
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

  const estimate = await plannedRows(deps, filter(false));
  const clusters = q.orderBy === 'name' || q.orderBy === 'email';
  if (estimate <= FEW || (term ? clusters && estimate <= CANDIDATE_LIMIT : estimate <= 10 * EXACT_TOTAL_LIMIT)) {
    const found = await sorted(CANDIDATE_LIMIT);
    if (found.n <= CANDIDATE_LIMIT) return { rows: found.rows, ...total(found.n) };
  }
  const walk = keys(false);
  const end = q.offset + q.limit;
  // Without a term every row matches: the walk reads the page and nothing else.
  const budget = term ? Math.max(MIN_WALK, Math.ceil((WALK_SLACK * end * (await tableRows(deps))) / Math.max(1, estimate))) : null;
  const rows = await deps.em.execute<Row[]>(
    `with p as (${walk.sql} order by ${order()} ${budget == null ? '' : `limit ${budget}`}),
          f as (select id, k from p offset ? limit ?)
     select ${columns} from f join users u on u.id = f.id order by ${order('f.')}`,
    [...walk.params, q.offset, q.limit],
  );
  if (budget != null && rows.length < q.limit) {
    // Short page: the walk ran out of budget (or of matches). Sorting every match settles it.
    const all = await sorted(null);
    return { rows: all.rows, ...total(all.n) };
  }
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

/**
 * The planner's idea of the users table's size (pg_class.reltuples, kept by
 * ANALYZE and autovacuum), read at most once a minute: it only scales a
 * budget.
 */
let usersCount = { n: 0, at: -Infinity };
async function tableRows(deps: CoreDeps): Promise<number> {
  if (performance.now() - usersCount.at > 60_000) {
    const [row] = await deps.em.execute<{ n: number }[]>(`select greatest(reltuples, 1)::float8 as n from pg_class where oid = 'users'::regclass`);
    usersCount = { n: row!.n, at: performance.now() };
  }
  return usersCount.n;
}

/**
 * The term's 3-character pieces that many users share, most common first,
 * for roster_search_keys (migration 0018), from the gram index's element
 * frequencies (pg_stats, kept by ANALYZE) read at most every ten minutes:
 * reading them per query cost 10–45 ms on a loaded machine. The term is
 * folded here only approximately (NFKC, lower case); a piece it misses is
 * taken as rare, which can only make the lookup slower, never wrong.
 */
let gramFrequencies = { map: new Map<string, number>(), at: -Infinity };
async function searchKeyHint(deps: CoreDeps, term: string): Promise<string[]> {
  if (performance.now() - gramFrequencies.at > 600_000) {
    const rows = await deps.em.execute<{ e: string; f: number }[]>(
      `select e, f from pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) as m(e, f)
        where s.schemaname = current_schema() and s.tablename = 'users_search_grams' and e is not null`,
    );
    gramFrequencies = { map: new Map(rows.map((r) => [r.e, r.f])), at: performance.now() };
  }
  const folded = term.normalize('NFKC').toLowerCase();
  const pieces = new Set<string>();
  for (let i = 0; i + 3 <= folded.length; i++) pieces.add(folded.slice(i, i + 3));
  return [...pieces].filter((p) => gramFrequencies.map.has(p)).sort((a, b) => gramFrequencies.map.get(b)! - gramFrequencies.map.get(a)!);
}
