import type { EntityManager } from '@roster/db';
import type { CoreDeps } from '../deps.ts';
import { textArrayLiteral } from '../sql-literals.ts';

/*
 * The skip index of migration 0026 (user_search_blocks): searches sorted by
 * name or email read only the blocks of the order whose grams hold the
 * term's keys, in order, instead of walking the whole sort index or taking
 * every match through the gram index. The migration's comment says why the
 * blocks never miss a user.
 */

export type BlockSort = 'name' | 'email';
export const BLOCK_SORTS: readonly BlockSort[] = ['name', 'email'];
/** Users per block: reading one block's entries costs about a third of a millisecond. */
export const BLOCK_TARGET = 1000;
/** A refreshed block holds at most 2 × BLOCK_TARGET users; a dirty one is read up to this many, else the caller searches another way. */
const DIRTY_BUDGET = 4 * BLOCK_TARGET;
/** Blocks read per search at most (rounds of 2, 4, 8, 16, 32): a term whose keys are in many blocks but whose matches are not. */
const MAX_BLOCKS = 62;

export interface BlockSearch {
  sort: BlockSort;
  /** `select u0.id as id, u0.<sort> as k from "users" as "u0" where …`: the search's filter, term included. */
  walk: { sql: string; params: readonly unknown[] };
  /** The term, and its common pieces (searchKeyHint) for roster_search_keys. */
  term: string;
  hint: string[];
  direction: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export interface BlockPage {
  ids: string[];
  /** Every candidate block was read and none held a full page: the exact number of matches. */
  total?: number;
}

/**
 * The page's ids in order, or null when the blocks cannot answer it within
 * MAX_BLOCKS (or a dirty block is beyond DIRTY_BUDGET): the caller then
 * searches as it would without them.
 */
export async function pageFromBlocks(deps: CoreDeps, s: BlockSearch): Promise<BlockPage | null> {
  const need = s.offset + s.limit;
  const found: string[] = [];
  let after: { loKey: string; loId: string } | null = null;
  for (let n = 2, read = 0; read < MAX_BLOCKS; read += n, n *= 2) {
    const rows: Round[] = await deps.em.execute<Round[]>(roundSql(s), roundParams(s, after, n, need));
    const blocks = new Set<string>();
    for (const row of rows) {
      if (row.overflow) return null;
      blocks.add(`${row.loKey}\u0000${row.loId}`);
      if (row.id != null) found.push(row.id);
    }
    if (found.length >= need) return { ids: found.slice(s.offset, need) };
    if (blocks.size < n) return { ids: found.slice(s.offset, need), total: found.length };
    after = rows.at(-1)!;
  }
  return null;
}

interface Round {
  loKey: string;
  loId: string;
  overflow: boolean;
  id: string | null;
}

/**
 * One round: the next n candidate blocks after the last one read (dirty
 * blocks and those whose grams hold the keys; roster_search_block_candidates,
 * migration 0026), each with the lower bound of the block after it, and each
 * block's first `need` matches in order. The last block has no upper bound:
 * its entries come from a second branch, and each branch's bound check is a
 * one-time filter, so one of the two runs.
 */
function roundSql(s: BlockSearch): string {
  const d = s.direction;
  const col = s.sort;
  const range = (last: boolean, cols: string, limit: number) =>
    `(select ${cols} from users where cb.hk is ${last ? '' : 'not '}null and (${col}, id) >= (cb.lo_key, cb.lo_id)` +
    `${last ? '' : ` and (${col}, id) < (cb.hk, cb.hi)`} order by ${col} ${d}, id ${d} limit ${limit})`;
  const entries = (cols: string, limit: number) => `(${range(false, cols, limit)} union all ${range(true, cols, limit)})`;
  const inBlock = s.walk.sql.replace(/from "users" as "u0"/, `from ${entries(`id, ${col}, status, role, search_text`, DIRTY_BUDGET)} as "u0"`);
  if (inBlock === s.walk.sql) throw new Error('pageFromBlocks: unexpected walk query');
  return `
    select cb.lo_key as "loKey", cb.lo_id as "loId",
           case when cb.dirty then (select count(*) from ${entries('1', DIRTY_BUDGET + 1)} as z) > ${DIRTY_BUDGET} else false end as overflow,
           m.id
      from roster_search_block_candidates(?, roster_search_keys(roster_fold(?), ?::text[]), ?, ?, ?::uuid, ?) with ordinality as cb
      left join lateral (select id, k from (${inBlock}) as w order by k ${d}, id ${d} limit ?) as m on true
     order by cb.ordinality, m.k ${d}, m.id ${d}`;
}

function roundParams(s: BlockSearch, after: { loKey: string; loId: string } | null, n: number, need: number): unknown[] {
  return [s.sort, s.term, textArrayLiteral(s.hint), s.direction === 'desc', after?.loKey ?? null, after?.loId ?? null, n, ...s.walk.params, need];
}

/**
 * Refreshes dirty blocks, one per transaction (each holds the lock the
 * insert and update triggers wait for), until none is left, `until` (a
 * performance.now() time) has passed, or a write that marks blocks is in
 * flight (the refresh never waits for one: the next pass goes on). Returns
 * the blocks written. Tests pass a small `target` to get many blocks from
 * few users.
 */
export async function refreshSearchBlocks(em: EntityManager, until: number, target = BLOCK_TARGET): Promise<{ written: number; done: boolean; busy?: true }> {
  let written = 0;
  for (const sort of BLOCK_SORTS) {
    for (;;) {
      if (performance.now() > until) return { written, done: false };
      let n: number;
      try {
        n = await em.transactional(async (tx) => {
          const [row] = await tx.execute<{ n: number }[]>(`select roster_search_blocks_refresh(?, ?) as n`, [sort, target]);
          return row!.n;
        });
      } catch (err) {
        if (isLockNotAvailable(err)) return { written, done: false, busy: true };
        throw err;
      }
      if (n === 0) break;
      written += n;
    }
  }
  return { written, done: true };
}

/** PostgreSQL's lock_not_available (55P03): the NOWAIT lock of roster_search_blocks_refresh met a write in flight. */
const isLockNotAvailable = (err: unknown) => (err as { code?: string })?.code === '55P03' || /could not obtain lock/.test(String((err as Error)?.message));
