import type { EntityManager } from '@roster/db';
import { CHAIN_COLUMNS, chainPending, eventHash, GENESIS, type ChainRow } from './chain.ts';

export type ChainProblem = 'edited' | 'inserted' | 'removed';

export interface ChainVerdict {
  ok: boolean;
  /** Events checked (from the last checkpoint on). */
  checked: number;
  /** The newest link: note it down elsewhere to also detect a rewrite of the whole chain. */
  head: { seq: number; hash: string };
  problem?: { kind: ChainProblem; id: number | null; seq: number; message: string };
}

const PAGE = 5000;

/**
 * Walks the chain from the last checkpoint: each event must sit at the next
 * position, link to the hash before it and hash to what it stores. The first
 * event that breaks one of these is named: edited (its content no longer
 * hashes to its hash), inserted (a position taken twice, or an event the
 * next one skips over), removed (a missing position or a broken link).
 */
export async function verifyChain(em: EntityManager): Promise<ChainVerdict> {
  await chainPending(em);
  const [cp] = await em.execute<{ seq: string; hash: string }[]>(`select seq::text as seq, hash from audit_checkpoint order by seq desc limit 1`);
  let seq = cp ? Number(cp.seq) : 0;
  let hash = cp ? cp.hash : GENESIS;
  let before: string | null = null;
  let last: ChainRow | null = null;
  let checked = 0;
  const fail = (kind: ChainProblem, row: ChainRow | null, at: number, message: string): ChainVerdict => ({
    ok: false,
    checked,
    head: { seq, hash },
    problem: { kind, id: row ? Number(row.id) : null, seq: at, message },
  });
  let cursor = { seq: seq, id: '0' };
  for (;;) {
    const rows = await em.execute<ChainRow[]>(
      `select ${CHAIN_COLUMNS} from audit_log a where a.seq is not null and (a.seq, a.id) > (?, ?) order by a.seq, a.id limit ${PAGE}`,
      [cursor.seq, cursor.id],
    );
    for (const row of rows) {
      const at = Number(row.seq);
      if (at <= seq) return fail('inserted', row, at, `event ${row.id} was inserted: position ${at} is already taken`);
      if (at > seq + 1) return fail('removed', row, seq + 1, `events ${seq + 1}–${at - 1} were removed (before event ${row.id})`);
      if (eventHash(row.prev_hash ?? '', row) !== row.hash) return fail('edited', row, at, `event ${row.id} was edited: its content no longer matches its hash`);
      if (row.prev_hash !== hash) {
        if (last && row.prev_hash === before) return fail('inserted', last, at - 1, `event ${last.id} was inserted: the event after it links past it`);
        return fail('removed', row, at, `an event before event ${row.id} was removed: it links to a hash no longer in the log`);
      }
      before = hash;
      hash = row.hash!;
      seq = at;
      last = row;
      checked++;
    }
    if (rows.length < PAGE) return { ok: true, checked, head: { seq, hash } };
    cursor = { seq: Number(rows.at(-1)!.seq), id: rows.at(-1)!.id };
  }
}
