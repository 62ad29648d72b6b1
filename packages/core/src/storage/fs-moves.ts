import fs from 'node:fs';
import path from 'node:path';

/**
 * Moves a stored file for a migration or transfer, tolerating a re-run after
 * a crash: if the source is gone but the destination exists, the earlier run
 * already moved it. Same filesystem, so the rename is atomic and the file is
 * always in exactly one place. Returns false when the file is in neither place.
 */
export async function moveStoredFile(from: string, to: string): Promise<boolean> {
  if (from === to) return fs.existsSync(to);
  await fs.promises.mkdir(path.dirname(to), { recursive: true });
  try {
    await fs.promises.rename(from, to);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return fs.existsSync(to);
  }
}

/** Removes empty folders under `dir` (and `dir` itself), leaving anything with files. */
export async function pruneEmptyDirs(dir: string): Promise<void> {
  const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => null);
  if (!entries) return;
  for (const e of entries) if (e.isDirectory()) await pruneEmptyDirs(path.join(dir, e.name));
  await fs.promises.rmdir(dir).catch(() => {});
}
