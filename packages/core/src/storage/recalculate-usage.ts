import fs from 'node:fs';
import { recordAudit } from '../audit/record-audit.ts';
import type { StorageDeps } from './deps.ts';
import { absolutePath, tempUploadPath } from './paths.ts';
import { syncQuotaWarnings } from './quota-warnings.ts';
import { releaseReservation, RESERVATION_STALE_MS } from './reservation.ts';

export interface UsageDrift {
  userId: string;
  email: string;
  beforeBytes: number;
  afterBytes: number;
  driftBytes: number;
}

export interface RecalculationReport {
  checked: number;
  staleUploadsReleased: number;
  drifted: number;
  /** The first 100 corrections, for the job result and the audit record. */
  drift: UsageDrift[];
}

/** Uploads that stopped touching their reservation (a crashed process): drop the partial files and give the bytes back. */
async function releaseStaleUploads(deps: StorageDeps, userId?: string): Promise<number> {
  const stale = await deps.em.execute<{ id: string; path: string }[]>(
    `select id, path from file_uploads where updated_at < now() - make_interval(secs => ?) ${userId ? 'and user_id = ?' : ''}`,
    userId ? [RESERVATION_STALE_MS / 1000, userId] : [RESERVATION_STALE_MS / 1000],
  );
  for (const up of stale) await discardUpload(deps, up);
  return stale.length;
}

/** Removes what an abandoned upload left: its partial file, a final file that never got its row, its reservation. */
export async function discardUpload(deps: StorageDeps, up: { id: string; path: string }): Promise<void> {
  await fs.promises.rm(tempUploadPath(deps.dataDir, up.id), { force: true });
  const [row] = await deps.em.execute(`select 1 from files where id = ?`, [up.id]);
  if (!row) await fs.promises.rm(absolutePath(deps.dataDir, up.path), { force: true });
  await releaseReservation(deps.em, up.id);
}

/**
 * usage_bytes = the sum of the user's file rows + their uploads in flight.
 * The user row is locked first, so uploads, deletes and transfers (which all
 * update it) wait, and the sums read after the lock see everything committed.
 */
async function recalculateUser(deps: StorageDeps, userId: string): Promise<UsageDrift | null> {
  return deps.em.transactional(async (tx) => {
    const [locked] = await tx.execute<{ email: string; usage_bytes: string }[]>(
      `select email, usage_bytes from users where id = ? for update`,
      [userId],
    );
    if (!locked) return null;
    const [sum] = await tx.execute<{ total: string }[]>(
      `select (select coalesce(sum(size), 0) from files where owner_id = ?) + (select coalesce(sum(bytes), 0) from file_uploads where user_id = ?) as total`,
      [userId, userId],
    );
    const before = Number(locked.usage_bytes);
    const after = Number(sum!.total);
    if (before === after) return null;
    await tx.execute(`update users set usage_bytes = ? where id = ?`, [after, userId]);
    await syncQuotaWarnings(tx, userId);
    return { userId, email: locked.email, beforeBytes: before, afterBytes: after, driftBytes: before - after };
  });
}

/**
 * `storage.recalculateUsage`: finds users whose usage differs from their rows
 * (a cheap set-based read), then corrects each one under its row lock.
 * Reports and audits the drift it corrected.
 */
export async function recalculateUsage(deps: StorageDeps, opts: { userId?: string } = {}): Promise<RecalculationReport> {
  const staleUploadsReleased = await releaseStaleUploads(deps, opts.userId);
  const report: RecalculationReport = { checked: 0, staleUploadsReleased, drifted: 0, drift: [] };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = await deps.em.execute<{ id: string; off: boolean }[]>(
      `select u.id, u.usage_bytes <> (select coalesce(sum(size), 0) from files where owner_id = u.id)
                + (select coalesce(sum(bytes), 0) from file_uploads where user_id = u.id) as off
         from users u where u.id > ? ${opts.userId ? 'and u.id = ?' : ''} order by u.id limit 1000`,
      opts.userId ? [after, opts.userId] : [after],
    );
    if (batch.length === 0) break;
    after = batch.at(-1)!.id;
    report.checked += batch.length;
    for (const u of batch.filter((b) => b.off)) {
      const drift = await recalculateUser(deps, u.id);
      if (!drift) continue;
      report.drifted++;
      if (report.drift.length < 100) report.drift.push(drift);
    }
  }
  if (report.drifted > 0) {
    recordAudit(deps.em, { actorId: null, action: 'storage.recalculateUsage', details: { ...report } });
    await deps.em.flush();
  }
  return report;
}
