import fs from 'node:fs';
import type { PurgeContext, PurgeStep } from '../deletion/purge-step.ts';
import { AppError } from '../errors.ts';
import type { StorageDeps } from './deps.ts';
import { moveStoredFile, pruneEmptyDirs } from './fs-moves.ts';
import { absoluteFolder, absolutePath, folderOf, movedFilePath, userFolder } from './paths.ts';
import { syncQuotaWarnings } from './quota-warnings.ts';
import { discardUpload } from './recalculate-usage.ts';

const BATCH = 200;
type Row = { id: string; path: string; size: string };
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

const nextBatch = (deps: StorageDeps, userId: string) =>
  deps.em.execute<Row[]>(`select id, path, size from files where owner_id = ? order by id limit ?`, [userId, BATCH]);

/** Uploads the user left in flight: partial files and reservations. */
async function dropUploads(deps: StorageDeps, userId: string): Promise<void> {
  const ups = await deps.em.execute<{ id: string; path: string }[]>(`select id, path from file_uploads where user_id = ?`, [userId]);
  for (const up of ups) await discardUpload(deps, up);
}

/**
 * Deleting: files first, then their rows (with the usage), batch by batch.
 * A crash leaves rows whose files are already gone; the re-run finds them
 * and finishes, so nothing of a purged user is left on disk unreferenced.
 */
async function deleteAll(ctx: PurgeContext) {
  const { deps, userId } = ctx;
  const folders = new Set<string>();
  const done = { files: 0, bytes: 0 };
  for (let rows = await nextBatch(deps, userId); rows.length; rows = await nextBatch(deps, userId)) {
    // One batch's removals at once: one at a time made a 100,000-file purge take minutes.
    for (const r of rows) folders.add(folderOf(r.path));
    await Promise.all(rows.map((r) => fs.promises.rm(absolutePath(deps.dataDir, r.path), { force: true })));
    const gone = await deps.em.transactional(async (tx) => {
      const gone = await tx.execute<{ path: string; size: string }[]>(
        `delete from files where owner_id = ? and id in (${marks(rows.length)}) returning path, size`,
        [userId, ...rows.map((r) => r.id)],
      );
      const bytes = gone.reduce((s, g) => s + Number(g.size), 0);
      await tx.execute(`update users set usage_bytes = greatest(usage_bytes - ?, 0) where id = ?`, [bytes, userId]);
      done.files += gone.length;
      done.bytes += bytes;
      return gone;
    });
    // A row moved by a concurrent storage migration since we read it: its file is at the new path.
    const removed = new Set(rows.map((r) => r.path));
    for (const g of gone) if (!removed.has(g.path)) await fs.promises.rm(absolutePath(deps.dataDir, g.path), { force: true });
    ctx.log(`files: deleted ${done.files}`);
  }
  for (const f of folders) await pruneEmptyDirs(absoluteFolder(deps.dataDir, f));
  return done;
}

/**
 * Transferring (n8n-style): each file moves into the target's folder, then
 * its row changes owner and path and the bytes move from one usage to the
 * other in one transaction per batch. A re-run after a crash finds the file
 * already at its new path and only finishes the rows. The target's quota is
 * not enforced (the admin chose the transfer), but crossing a threshold warns.
 */
async function transferAll(ctx: PurgeContext, targetId: string) {
  const { deps, userId } = ctx;
  const [target] = await deps.em.execute<{ id: string; storage_label: string | null }[]>(
    `select id, storage_label from users where id = ? and id <> ? and status <> 'deleted'`,
    [targetId, userId],
  );
  if (!target) throw new AppError('TRANSFER_TARGET_INVALID');
  const folder = userFolder({ id: target.id, storageLabel: target.storage_label });
  const done = { files: 0, bytes: 0, missing: 0 };
  const folders = new Set<string>();
  for (let rows = await nextBatch(deps, userId); rows.length; rows = await nextBatch(deps, userId)) {
    const moved: (Row & { to: string })[] = [];
    const missing: Row[] = [];
    for (const r of rows) {
      folders.add(folderOf(r.path));
      const to = movedFilePath(r.path, folder);
      const ok = await moveStoredFile(absolutePath(deps.dataDir, r.path), absolutePath(deps.dataDir, to));
      if (ok) moved.push({ ...r, to });
      else missing.push(r);
    }
    await deps.em.transactional(async (tx) => {
      let bytes = 0;
      if (moved.length) {
        const res = await tx.execute<{ size: string }[]>(
          // Only rows still at the path we moved from; one changed meanwhile is picked up by the next batch.
          `update files set owner_id = ?, path = v.path from (values ${moved.map(() => '(?::uuid, ?, ?)').join(', ')}) as v(id, old, path)
            where files.id = v.id and files.path = v.old and files.owner_id = ? returning files.size`,
          [targetId, ...moved.flatMap((m) => [m.id, m.path, m.to]), userId],
        );
        bytes = res.reduce((s, g) => s + Number(g.size), 0);
        done.files += res.length;
      }
      // A row whose file is nowhere cannot be transferred; it goes, so no row points at nothing.
      const lost = missing.length
        ? await tx.execute<{ size: string }[]>(
            `delete from files using (values ${missing.map(() => '(?::uuid, ?)').join(', ')}) as v(id, path)
              where files.id = v.id and files.path = v.path and files.owner_id = ? returning files.size`,
            [...missing.flatMap((m) => [m.id, m.path]), userId],
          )
        : [];
      const lostBytes = lost.reduce((s, g) => s + Number(g.size), 0);
      await tx.execute(`update users set usage_bytes = usage_bytes + ? where id = ?`, [bytes, targetId]);
      await tx.execute(`update users set usage_bytes = greatest(usage_bytes - ?, 0) where id = ?`, [bytes + lostBytes, userId]);
      await syncQuotaWarnings(tx, targetId);
      done.bytes += bytes;
      done.missing += lost.length;
    });
    ctx.log(`files: transferred ${done.files}`);
  }
  for (const f of folders) await pruneEmptyDirs(absoluteFolder(deps.dataDir, f));
  return done;
}

/** The storage area's share of a user purge: delete the user's files, or move them to `transferToUserId`. */
export const filesPurgeStep: PurgeStep = {
  name: 'files',
  async preview(deps, userId) {
    const [r] = await deps.em.execute<{ files: string; bytes: string }[]>(
      `select count(*) as files, coalesce(sum(size), 0) as bytes from files where owner_id = ?`,
      [userId],
    );
    return { files: Number(r?.files ?? 0), bytes: Number(r?.bytes ?? 0) };
  },
  async run(ctx) {
    await dropUploads(ctx.deps, ctx.userId);
    return ctx.transferToUserId ? transferAll(ctx, ctx.transferToUserId) : deleteAll(ctx);
  },
};
