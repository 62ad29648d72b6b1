import type { Clock } from '../clock.ts';
import type { CoreDeps } from '../deps.ts';
import { getSettings } from '../settings/instance-settings.ts';
import { chainPending, withChainLock } from './chain.ts';
import { recordAuditNow } from './record-audit.ts';

export interface PruneReport {
  pruned: number;
  /** The chain position the new checkpoint holds (null when nothing was old enough). */
  checkpointSeq: number | null;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * Removes the chain's oldest events past the retention setting, as one
 * prefix of the chain: up to the last position before the first event still
 * kept. The pruned prefix's last hash becomes a checkpoint in the same
 * transaction, where verification starts from then on.
 */
export async function pruneAudit(deps: Pick<CoreDeps, 'em'> & { clock: Clock }): Promise<PruneReport> {
  const { auditRetentionDays } = await getSettings(deps);
  const cutoff = new Date(deps.clock.now().getTime() - auditRetentionDays * DAY);
  await chainPending(deps.em);
  const report = await withChainLock(deps.em, async (tx) => {
    const [edge] = await tx.execute<{ seq: string | null }[]>(
      `select coalesce((select min(seq) - 1 from audit_log where seq is not null and at >= ?),
                       (select max(seq) from audit_log))::text as seq`,
      [cutoff],
    );
    const upTo = edge?.seq == null ? null : Number(edge.seq);
    const [last] = upTo === null ? [] : await tx.execute<{ hash: string }[]>(`select hash from audit_log where seq = ? order by id limit 1`, [upTo]);
    if (upTo === null || !last) return { pruned: 0, checkpointSeq: null };
    const gone = await tx.execute<{ id: string }[]>(`delete from audit_log where seq <= ? returning id`, [upTo]);
    await tx.execute(`insert into audit_checkpoint (seq, hash, pruned) values (?, ?, ?)`, [upTo, last.hash, gone.length]);
    return { pruned: gone.length, checkpointSeq: upTo };
  });
  if (report.pruned) {
    await recordAuditNow(deps.em, { actorId: null, action: 'audit.prune', details: { ...report, retentionDays: auditRetentionDays, cutoff: cutoff.toISOString() } });
  }
  return report;
}
