import fs from 'node:fs';
import type { StorageDeps } from './deps.ts';
import { moveStoredFile, pruneEmptyDirs } from './fs-moves.ts';
import { absoluteFolder, absolutePath, folderOf, movedFilePath, userFolder } from './paths.ts';

export interface MigrationEvent {
  fileId: string;
  from: string;
  to: string;
  /** `moved`: the file is at `to` but its row still says `from`; `updated`: the row follows. */
  stage: 'moved' | 'updated';
}

export interface MigrateOptions {
  batchSize?: number;
  onProgress?: (e: MigrationEvent) => void | Promise<void>;
}

export interface MigrationReport {
  moved: number;
  missing: number;
}

/**
 * Moves a user's files into `upload/{storageLabel or userId}` (Immich's
 * storage migration). Per file: rename into place, then point the row at it.
 * A crash between the two leaves the file at the new path and the row at the
 * old one; the next run sees the old path empty and the new one present and
 * only updates the row, so a re-run always converges. The label is re-read
 * each pass, so a label changed mid-run is followed.
 */
export async function migrateUserStorage(deps: StorageDeps, userId: string, opts: MigrateOptions = {}): Promise<MigrationReport> {
  const report: MigrationReport = { moved: 0, missing: 0 };
  const oldFolders = new Set<string>();
  for (let pass = 0; pass < 5; pass++) {
    const [user] = await deps.em.execute<{ id: string; storage_label: string | null }[]>(
      // A deleted user's files are the purge's to move or remove; racing it helps nobody.
      `select id, storage_label from users where id = ? and status <> 'deleted'`,
      [userId],
    );
    if (!user) break;
    const folder = userFolder({ id: user.id, storageLabel: user.storage_label });
    const movedBefore = report.moved;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await deps.em.execute<{ id: string; path: string }[]>(
        `select id, path from files where owner_id = ? and not starts_with(path, ?) and id > ? order by id limit ?`,
        [userId, `${folder}/`, after, opts.batchSize ?? 200],
      );
      if (rows.length === 0) break;
      after = rows.at(-1)!.id;
      for (const row of rows) {
        oldFolders.add(folderOf(row.path));
        if (await migrateOne(deps, row, folder, opts)) report.moved++;
        else report.missing++;
      }
    }
    if (report.moved === movedBefore) break;
    report.missing = 0;
  }
  for (const f of oldFolders) await pruneEmptyDirs(absoluteFolder(deps.dataDir, f));
  return report;
}

async function migrateOne(deps: StorageDeps, row: { id: string; path: string }, folder: string, opts: MigrateOptions) {
  const to = movedFilePath(row.path, folder);
  const toAbs = absolutePath(deps.dataDir, to);
  if (!(await moveStoredFile(absolutePath(deps.dataDir, row.path), toAbs))) return false;
  await opts.onProgress?.({ fileId: row.id, from: row.path, to, stage: 'moved' });
  const updated = await deps.em.execute<{ id: string }[]>(`update files set path = ? where id = ? and path = ? returning id`, [
    to,
    row.id,
    row.path,
  ]);
  if (updated.length === 0) {
    // Deleted while we moved it: the delete removed the old path, so the moved copy is ours to remove.
    const [still] = await deps.em.execute(`select 1 from files where id = ?`, [row.id]);
    if (!still) await fs.promises.rm(toAbs, { force: true });
  }
  await opts.onProgress?.({ fileId: row.id, from: row.path, to, stage: 'updated' });
  return true;
}

/** Every user with files outside their current folder (after label changes, or a lost job). */
export async function migrateAllStorage(deps: StorageDeps, opts: MigrateOptions = {}) {
  const users = await deps.em.execute<{ owner_id: string }[]>(
    `select distinct f.owner_id from files f join users u on u.id = f.owner_id
      where u.status <> 'deleted' and not starts_with(f.path, 'upload/' || coalesce(u.storage_label, u.id::text) || '/')`,
  );
  const total: MigrationReport & { users: number } = { users: users.length, moved: 0, missing: 0 };
  for (const { owner_id } of users) {
    const r = await migrateUserStorage(deps, owner_id, opts);
    total.moved += r.moved;
    total.missing += r.missing;
  }
  return total;
}
