import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { requirePermission } from '../permissions/effective.ts';
import { toFileDto, type FileDto } from './dto.ts';
import { findFileFor } from './list-files.ts';
import { absolutePath } from './paths.ts';

/** Opens a file for streaming to its owner or an admin; the bytes are never buffered. */
export async function openFileDownload(deps: CoreDeps, actor: Actor | null, id: string): Promise<{ file: FileDto; stream: Readable }> {
  await requirePermission(deps, actor, 'files.download');
  // Opening first turns a missing file into a clean error before any header is sent; one retry
  // covers a storage migration moving the file between reading the row and opening it.
  for (let attempt = 0; ; attempt++) {
    const row = await findFileFor(deps, actor, id);
    try {
      const handle = await fs.promises.open(absolutePath(deps.dataDir, row.path), 'r');
      return { file: toFileDto(row), stream: handle.createReadStream() };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (attempt === 1) throw new AppError('NOT_FOUND', 'The file is missing from storage');
    }
  }
}
