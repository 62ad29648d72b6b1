import fs from 'node:fs';
import path from 'node:path';

const exists = (p: string) => fs.promises.access(p).then(
  () => true,
  () => false,
);

/**
 * Moves a stored file for a migration or transfer, tolerating a re-run after
 * a crash: if the source is gone but the destination exists, the earlier run
 * already moved it. Same filesystem, so the rename is atomic and the file is
 * always in exactly one place. Returns false when the file is in neither place.
 * Renames first and creates the destination folder only when it is missing
 * (as uploads do): one system call per file where mkdir-then-rename took three.
 */
export async function moveStoredFile(from: string, to: string): Promise<boolean> {
  if (from === to) return fs.existsSync(to);
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.promises.rename(from, to);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      // Either the source is gone (an earlier run moved it, or it is lost) or the destination folder is missing.
      if (!(await exists(from))) return exists(to);
      if (attempt >= 2) throw err;
      await fs.promises.mkdir(path.dirname(to), { recursive: true });
    }
  }
}

/** Removes empty folders under `dir` (and `dir` itself), leaving anything with files. */
export async function pruneEmptyDirs(dir: string): Promise<void> {
  const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => null);
  if (!entries) return;
  for (const e of entries) if (e.isDirectory()) await pruneEmptyDirs(path.join(dir, e.name));
  await fs.promises.rmdir(dir).catch(() => {});
}
