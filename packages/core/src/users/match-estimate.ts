import { raw } from '@mikro-orm/core';
import { User } from '@roster/db';
import type { CoreDeps } from '../deps.ts';

/*
 * How many users a search should match, from the statistics PostgreSQL
 * keeps, so findUserPage (list-users.ts) can choose its path without an
 * EXPLAIN per search; and which pieces of a term are common (the key hint).
 */

/** How many users the planner expects the filter to match (an EXPLAIN, no row read). */
export async function plannedRows(deps: CoreDeps, filter: never): Promise<number> {
  const q = deps.em.fork().createQueryBuilder(User, 'u0').select(raw('1')).where(filter).toQuery();
  const [row] = await deps.em.execute<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }[]>(`explain (format json) ${q.sql}`, [...q.params]);
  return Math.max(1, Math.round(row!['QUERY PLAN'][0].Plan['Plan Rows']));
}

/**
 * What the planner knows about users, read from pg_class and pg_stats
 * (kept by ANALYZE and autovacuum) at most once a minute instead of per
 * search: an EXPLAIN per search cost a round trip and a planning, and
 * reading pg_stats per query 10–45 ms on the loaded machine.
 */
export interface SearchStats {
  rows: number;
  /** search_text's most common values with their frequencies, and its histogram (every value a sample). */
  textMcv: [string, number][];
  textHistogram: string[];
  textNullFrac: number;
  /** status and role: each value's frequency. */
  frequencies: Record<string, Map<string, number>>;
  /** The gram index's element frequencies (users_search_grams). */
  grams: Map<string, number>;
  at: number;
}
/** Per database (one ORM's driver): tests and tools open several in one process. */
const statsCache = new WeakMap<object, SearchStats>();
export async function searchStats(deps: CoreDeps): Promise<SearchStats> {
  const cached = statsCache.get(deps.em.getDriver());
  if (cached && performance.now() - cached.at < 60_000) return cached;
  const [columns, grams] = await Promise.all([
    deps.em.execute<{ n: number; attname: string | null; null_frac: number; mcv: string[] | null; mcf: number[] | null; hist: string[] | null }[]>(
      `select (select greatest(reltuples, 1)::float8 from pg_class where oid = 'users'::regclass) as n, s.attname, s.null_frac,
              s.most_common_vals::text::text[] as mcv, s.most_common_freqs as mcf, s.histogram_bounds::text::text[] as hist
         from (select) as one left join pg_stats s
           on s.schemaname = current_schema() and s.tablename = 'users' and s.attname in ('search_text', 'status', 'role')`,
    ),
    deps.em.execute<{ e: string; f: number }[]>(
      `select e, f from pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) as m(e, f)
        where s.schemaname = current_schema() and s.tablename = 'users_search_grams' and e is not null`,
    ),
  ]);
  const next: SearchStats = { rows: columns[0]?.n ?? 1, textMcv: [], textHistogram: [], textNullFrac: 0, frequencies: {}, grams: new Map(), at: performance.now() };
  for (const c of columns) {
    if (c.attname === 'search_text') {
      next.textMcv = (c.mcv ?? []).map((v, i) => [v, c.mcf![i]!]);
      next.textHistogram = c.hist ?? [];
      next.textNullFrac = c.null_frac;
    } else if (c.attname) next.frequencies[c.attname] = new Map((c.mcv ?? []).map((v, i) => [v, c.mcf![i]!]));
  }
  next.grams = new Map(grams.map((r) => [r.e, r.f]));
  statsCache.set(deps.em.getDriver(), next);
  return next;
}

/** The stored search_text's folding, approximately (roster_fold is NFKC then ICU lower case): only estimates and the key hint use it. */
const foldLike = (term: string) => term.normalize('NFKC').toLowerCase().replace(/ς/g, 'σ');

/**
 * How many users the filter should match, as PostgreSQL estimates a
 * `LIKE '%term%'`: the matching share of search_text's common values, plus
 * the matching share of its histogram for the rest, times the share the
 * status and role conditions keep. A term no sample holds counts as half a
 * sample. Other conditions (the pickers' name filter) count as keeping
 * every row: an overestimate only favours the walk, which is bounded.
 */
export function expectedRows(stats: SearchStats, term: string | undefined, where: Record<string, unknown>[]): number {
  let share = 1;
  if (term) {
    const t = foldLike(term.replaceAll('\x01', ''));
    const mcvShare = stats.textMcv.reduce((sum, [, f]) => sum + f, 0);
    const matchedMcv = stats.textMcv.reduce((sum, [v, f]) => sum + (v.includes(t) ? f : 0), 0);
    const hist = stats.textHistogram;
    const inHist = hist.filter((v) => v.includes(t)).length;
    const histShare = hist.length ? Math.max(inHist, 0.5) / hist.length : 0;
    share = matchedMcv + histShare * Math.max(0, 1 - stats.textNullFrac - mcvShare);
  }
  for (const condition of where) {
    for (const [column, value] of Object.entries(condition)) {
      const freq = stats.frequencies[column];
      if (!freq?.size) continue;
      const of = (v: unknown) => freq.get(String(v)) ?? 0;
      if (typeof value === 'string') share *= of(value);
      else if (value && typeof value === 'object' && '$in' in value) share *= (value.$in as unknown[]).reduce<number>((sum, v) => sum + of(v), 0);
      else if (value && typeof value === 'object' && '$ne' in value) share *= 1 - of(value.$ne);
    }
  }
  return Math.max(1, Math.round(share * stats.rows));
}

/**
 * The term's 3-character pieces that many users share, most common first,
 * for roster_search_keys (migration 0018). The term is folded here only
 * approximately; a piece this misses is taken as rare, which can only make
 * the lookup slower, never wrong.
 */
export function searchKeyHint(stats: SearchStats, term: string): string[] {
  const folded = foldLike(term);
  const pieces = new Set<string>();
  for (let i = 0; i + 3 <= folded.length; i++) pieces.add(folded.slice(i, i + 3));
  return [...pieces].filter((p) => stats.grams.has(p)).sort((a, b) => stats.grams.get(b)! - stats.grams.get(a)!);
}
