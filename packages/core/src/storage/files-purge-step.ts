import fs from 'node:fs';
import { countsBySql, type PurgeContext, type PurgeStep } from '../deletion/purge-step.ts';
import { AppError } from '../errors.ts';
import type { StorageDeps } from './deps.ts';
import { moveStoredFile, pruneEmptyDirs } from './fs-moves.ts';
import { absoluteFolder, absolutePath, folderOf, movedFilePath, userFolder } from './paths.ts';
import { syncQuotaWarnings } from './quota-warnings.ts';
import { discardUpload } from './recalculate-usage.ts';

const BATCH = 200;
/** `at` is created_at as text: a JS Date would drop its microseconds and the keyset would skip rows. */
type Row = { id: string; path: string; size: string; at: string };
/** One unlink, where `fs.promises.rm` costs two lstats more: a 100,000-file purge makes 100,000 of them. */
const removeFile = (abs: string) =>
  fs.promises.unlink(abs).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const COLUMNS = `id, path, size, created_at::text as at`;

/**
 * The user's files in the order of the files_owner index (owner_id,
 * created_at desc, id), BATCH rows at a time, by keyset: each batch starts
 * after the previous one's last row, so no batch sorts or re-reads the rows
 * before it (reading `order by id` sorted all the user's remaining rows for
 * every batch) and the heap is read in index order. Ties on created_at (one
 * transaction's rows) continue by id, then the older rows follow: two
 * ranges of the index, each walked in order.
 *
 * A pass ends at the user's oldest file; then another pass runs, and the
 * step ends when one finds nothing. So a row the batch could not finish
 * (a transfer skips one that a storage migration moved meanwhile) or one
 * that appeared behind the keyset (an upload in flight when the user was
 * deleted) is still handled, at the cost of one more query.
 */
async function* batches(deps: StorageDeps, userId: string): AsyncGenerator<Row[]> {
  for (let found = true; found; ) {
    found = false;
    for (let last: Row | undefined; ; ) {
      const rows: Row[] = await deps.em.execute<Row[]>(
        last
          ? `(select ${COLUMNS} from files where owner_id = ? and created_at = ?::timestamptz and id > ? order by id limit ${BATCH})
             union all
             (select ${COLUMNS} from files where owner_id = ? and created_at < ?::timestamptz order by created_at desc, id limit ${BATCH})
             limit ${BATCH}`
          : `select ${COLUMNS} from files where owner_id = ? order by created_at desc, id limit ${BATCH}`,
        last ? [userId, last.at, last.id, userId, last.at] : [userId],
      );
      if (rows.length) {
        found = true;
        yield rows;
      }
      if (rows.length < BATCH) break;
      last = rows[rows.length - 1];
    }
  }
}

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
  for await (const rows of batches(deps, userId)) {
    ctx.signal?.throwIfAborted();
    // One batch's removals at once: one at a time made a 100,000-file purge take minutes.
    for (const r of rows) folders.add(folderOf(r.path));
    await Promise.all(rows.map((r) => removeFile(absolutePath(deps.dataDir, r.path))));
    // The rows and their bytes in one statement: atomic without a transaction's extra round trips.
    const gone = await deps.em.execute<{ path: string; size: string }[]>(
      `with gone as (delete from files where owner_id = ? and id in (${marks(rows.length)}) returning path, size),
            spent as (update users set usage_bytes = greatest(usage_bytes - (select coalesce(sum(size), 0) from gone), 0) where id = ?)
       select path, size from gone`,
      [userId, ...rows.map((r) => r.id), userId],
    );
    done.files += gone.length;
    done.bytes += gone.reduce((s, g) => s + Number(g.size), 0);
    // A row moved by a concurrent storage migration since we read it: its file is at the new path.
    const removed = new Set(rows.map((r) => r.path));
    for (const g of gone) if (!removed.has(g.path)) await removeFile(absolutePath(deps.dataDir, g.path));
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
  for await (const rows of batches(deps, userId)) {
    ctx.signal?.throwIfAborted();
    // One batch's moves at once, as deleteAll does its removals.
    for (const r of rows) folders.add(folderOf(r.path));
    const placed = await Promise.all(
      rows.map(async (r) => {
        const to = movedFilePath(r.path, folder);
        return { ...r, to, ok: await moveStoredFile(absolutePath(deps.dataDir, r.path), absolutePath(deps.dataDir, to)) };
      }),
    );
    const moved = placed.filter((p) => p.ok);
    const missing = placed.filter((p) => !p.ok);
    await deps.em.transactional(async (tx) => {
      let bytes = 0;
      if (moved.length) {
        const res = await tx.execute<{ size: string }[]>(
          // Only rows still at the path we moved from; one changed meanwhile is picked up by the next pass.
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

const COUNTS_SQL = `(select jsonb_build_object('files', count(*), 'bytes', coalesce(sum(size), 0)) from files where owner_id = u.id)`;

/**
 * The storage area's share of a user purge: delete the user's files, or move them to `transferToUserId`.
 * Skipped when the user has neither files nor uploads in flight at the claim (most users): a file row
 * committed later by an upload that was in flight makes the user row's deletion fail (files.owner_id
 * restricts), and the retried purge runs this step; a later upload reservation goes with the user row
 * (cascade), and that upload's own commit then fails and removes its temp file.
 */
export const filesPurgeStep: PurgeStep = {
  name: 'files',
  countsSql: COUNTS_SQL,
  pendingSql: `(exists (select 1 from files where owner_id = u.id) or exists (select 1 from file_uploads where user_id = u.id))`,
  preview: (deps, userId) => countsBySql(deps.em, COUNTS_SQL, userId),
  async run(ctx) {
    await dropUploads(ctx.deps, ctx.userId);
    return ctx.transferToUserId ? transferAll(ctx, ctx.transferToUserId) : deleteAll(ctx);
  },
};
