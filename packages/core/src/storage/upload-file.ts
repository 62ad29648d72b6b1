import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { User, type EntityManager } from '@roster/db';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { requirePermission } from '../permissions/effective.ts';
import { fileOwnerForTarget } from './access.ts';
import { toFileDto, type FileDto, type FileRow } from './dto.ts';
import { absolutePath, newFilePath, tempUploadPath, userFolder, validateFileName } from './paths.ts';
import { syncQuotaWarnings } from './quota-warnings.ts';
import { releaseReservation, Reservation, settleReservation } from './reservation.ts';

export interface UploadFileInput {
  /** Upload into another user's files (needs `files:manage`). */
  ownerId?: string | null;
  name: string;
  mimeType?: string | null;
  /** The declared size (Content-Length), reserved before the body is read; null for chunked bodies. */
  size?: number | null;
  body: AsyncIterable<Uint8Array>;
}

const MIME = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;
export const normaliseMimeType = (raw: string | null | undefined) => {
  const base = (raw ?? '').split(';')[0]!.trim().toLowerCase();
  return MIME.test(base) && base.length <= 127 ? base : 'application/octet-stream';
};

const unlinkQuietly = (p: string) => fs.promises.rm(p, { force: true });

/**
 * Streams a body to a temp file in the data dir while hashing and counting
 * it (never holding it in memory), with its bytes reserved against the quota
 * as they arrive; then, in one transaction, settles the usage, inserts the
 * row and renames the file into place (rename before commit: a committed row
 * always has its file). Any failure removes the partial file and releases
 * the reservation.
 */
export async function uploadFile(deps: CoreDeps, actor: Actor | null, input: UploadFileInput): Promise<FileDto> {
  const ownerId = await fileOwnerForTarget(deps, actor, input.ownerId);
  // Checked on every upload (no cache), before the body is read: a removed grant counts from the next request.
  await requirePermission(deps, actor, 'files.upload');
  const name = validateFileName(input.name);
  const declared = input.size ?? null;
  if (declared != null && (!Number.isSafeInteger(declared) || declared < 0)) throw new AppError('VALIDATION', 'Invalid Content-Length');
  const owner = await deps.em.findOne(User, ownerId, { fields: ['id', 'storageLabel', 'status'] });
  if (!owner || owner.status === 'deleted') throw new AppError('USER_NOT_FOUND');

  const id = randomUUID();
  const relPath = newFilePath(userFolder(owner), id, name, deps.clock.now());
  const finalPath = absolutePath(deps.dataDir, relPath);
  const tmp = tempUploadPath(deps.dataDir, id);
  const reservation = await Reservation.open(deps.em, id, ownerId, relPath, declared ?? 0);
  try {
    await ensureTempDir(path.dirname(tmp));
    const hash = createHash('sha1');
    let size = 0;
    await pipeline(
      input.body,
      async function* (source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          size += chunk.length;
          if (declared != null && size > declared) throw new AppError('VALIDATION', 'The body is longer than its Content-Length');
          await reservation.cover(size);
          hash.update(chunk);
          yield chunk;
        }
      },
      fs.createWriteStream(tmp, { flags: 'wx' }),
    );
    if (declared != null && size !== declared) throw new AppError('VALIDATION', 'The upload ended before its Content-Length');
    const row: FileRow = {
      id,
      owner_id: ownerId,
      path: relPath,
      size,
      sha1: hash.digest('hex'),
      mime_type: normaliseMimeType(input.mimeType),
      original_name: name,
      created_at: deps.clock.now(),
    };
    await commitUpload(deps.em, row, tmp, finalPath);
    return toFileDto(row);
  } catch (err) {
    await unlinkQuietly(tmp);
    await releaseReservation(deps.em, id);
    throw err;
  }
}

async function commitUpload(em: EntityManager, row: FileRow, tmp: string, finalPath: string): Promise<void> {
  let renamed = false;
  try {
    await em.transactional(async (tx) => {
      await settleReservation(tx, row.id, Number(row.size));
      await tx.execute(
        `insert into files (id, owner_id, path, size, sha1, mime_type, original_name, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)`,
        [row.id, row.owner_id, row.path, row.size, row.sha1, row.mime_type, row.original_name, row.created_at],
      );
      await syncQuotaWarnings(tx, row.owner_id);
      await renameIntoPlace(tmp, finalPath);
      renamed = true;
    });
  } catch (err) {
    // A failed commit must not leave the file behind; if we cannot tell whether it committed, keep the file.
    if (renamed) {
      const rows = await em.execute(`select 1 from files where id = ?`, [row.id]).catch(() => null);
      if (rows && rows.length === 0) await unlinkQuietly(finalPath);
      else if (rows) return;
    }
    throw err;
  }
}

/**
 * Rename first and create the month folder only when it is missing: one
 * syscall on the common path. Also covers a storage migration pruning an
 * empty folder between our mkdir and rename.
 */
async function renameIntoPlace(tmp: string, finalPath: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fs.promises.rename(tmp, finalPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 1 || !fs.existsSync(tmp)) throw err;
      await fs.promises.mkdir(path.dirname(finalPath), { recursive: true });
    }
  }
}

const tempDirs = new Set<string>();
/** The temp folder is made once per process, not once per upload. */
async function ensureTempDir(dir: string): Promise<void> {
  if (tempDirs.has(dir) && fs.existsSync(dir)) return;
  await fs.promises.mkdir(dir, { recursive: true });
  tempDirs.add(dir);
}
