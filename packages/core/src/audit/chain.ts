import { createHash } from 'node:crypto';
import type { EntityManager } from '@roster/db';
import { textArrayLiteral } from '../sql-literals.ts';

/** The hash before the first event of a log that never had one pruned. */
export const GENESIS = '0'.repeat(64);
// Held by every chainer and pruner: chain positions are handed out by one at a time, requests never take it.
const CHAIN_LOCK = 1_219_000_012;
const BATCH = 2000;

export interface ChainRow {
  id: string;
  seq: string | null;
  prev_hash: string | null;
  hash: string | null;
  at: string;
  actor_id: string | null;
  action: string;
  target_id: string | null;
  details: string;
  ip: string | null;
  user_agent: string | null;
}

/**
 * The columns a hash covers, in a form PostgreSQL gives back byte for byte
 * (timestamps to the microsecond, jsonb as text). Select them `from audit_log a`
 * and order by `a.…`: a bare `id` in ORDER BY would sort the text alias.
 */
export const CHAIN_COLUMNS = `id::text as id, seq::text as seq, prev_hash, hash,
  to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at,
  actor_id::text as actor_id, action, target_id::text as target_id, details::text as details, ip, user_agent`;

/** SHA-256 over the previous event's hash and this event's content. */
export function eventHash(prevHash: string, row: ChainRow): string {
  const content = JSON.stringify([row.id, row.at, row.actor_id, row.action, row.target_id, row.details, row.ip, row.user_agent]);
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

/** The chain's last link: its newest chained event, else the last checkpoint, else the genesis. */
export async function chainHead(em: EntityManager): Promise<{ seq: number; hash: string }> {
  const [row] = await em.execute<{ seq: string; hash: string }[]>(
    `select seq::text as seq, hash from (
       (select seq, hash from audit_log where seq is not null order by seq desc limit 1)
       union all (select seq, hash from audit_checkpoint order by seq desc limit 1)
     ) h order by h.seq desc limit 1`,
  );
  return row ? { seq: Number(row.seq), hash: row.hash } : { seq: 0, hash: GENESIS };
}

export const withChainLock = <T>(em: EntityManager, fn: (tx: EntityManager) => Promise<T>): Promise<T> =>
  em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
    return fn(tx as EntityManager);
  });

/**
 * Links every committed, unchained event behind the chain's head, in id
 * order (the order their transactions drew ids; a rolled-back id is just
 * never seen). An event that commits after a later id was chained is linked
 * on the next pass, at the end. Returns how many it linked.
 */
export async function chainPending(em: EntityManager): Promise<number> {
  let total = 0;
  // Within one pass, walk on from the last id linked: the partial index still holds the entries just linked (dead until vacuum).
  let after = '0';
  for (;;) {
    const linked = await withChainLock(em, async (tx) => {
      const rows = await tx.execute<ChainRow[]>(
        `select ${CHAIN_COLUMNS} from audit_log a where a.seq is null and a.id > ? order by a.id limit ${BATCH}`,
        [after],
      );
      if (!rows.length) return 0;
      let { seq, hash } = await chainHead(tx);
      const links = rows.map((row) => {
        const link = { id: row.id, seq: ++seq, prev: hash, hash: eventHash(hash, row) };
        hash = link.hash;
        return link;
      });
      await tx.execute(
        `update audit_log a set seq = v.seq, prev_hash = v.prev, hash = v.hash
           from unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[]) as v(id, seq, prev, hash) where a.id = v.id`,
        [textArrayLiteral(links.map((l) => l.id)), textArrayLiteral(links.map((l) => String(l.seq))), textArrayLiteral(links.map((l) => l.prev)), textArrayLiteral(links.map((l) => l.hash))],
      );
      after = rows.at(-1)!.id;
      return rows.length;
    });
    total += linked;
    if (linked < BATCH) return total;
  }
}
