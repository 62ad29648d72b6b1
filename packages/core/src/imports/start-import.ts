import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { insertImport } from './import-store.ts';

export const IMPORT_JOB = 'users.import';
/** The largest CSV accepted: far above 100,000 users with hashes (about 15 MB). */
export const MAX_IMPORT_BYTES = 256 * 1024 ** 2;

/** Where an upload waits for its job, under the data folder (same disk, never /tmp on another). */
export const importSpoolPath = (dataDir: string, id: string) => path.join(dataDir, 'tmp', 'imports', `${id}.csv`);

export interface StartImportInput {
  fileName: string;
  dryRun: boolean;
  /** Declared size, refused at once when over the cap. */
  size: number | null;
  body: Readable;
}

/**
 * Spools an uploaded CSV to the data folder (streamed, capped), records the
 * import and queues its job; the id is the job's and the import's. The
 * upload is not parsed here: the job reads it, so the request ends as soon
 * as the bytes are on disk.
 */
export async function startImport(deps: CoreDeps, actor: Actor, input: StartImportInput): Promise<{ jobId: string }> {
  if (input.size !== null && input.size > MAX_IMPORT_BYTES) throw tooLarge();
  const id = randomUUID();
  const file = importSpoolPath(deps.dataDir, id);
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  let size = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _e, cb) {
      size += chunk.length;
      cb(size > MAX_IMPORT_BYTES ? tooLarge() : null, chunk);
    },
  });
  try {
    await pipeline(input.body, cap, fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    await deps.em.transactional(async (em) => {
      await insertImport(em, { id, actorId: actor.id, fileName: input.fileName, dryRun: input.dryRun });
      recordAudit(em, { actorId: actor.id, action: 'user.import', targetId: null, details: { importId: id, fileName: input.fileName, dryRun: input.dryRun, bytes: size } });
    });
    await deps.jobs.enqueue(IMPORT_JOB, { importId: id }, { jobId: id });
  } catch (err) {
    await fs.promises.rm(file, { force: true });
    throw err;
  }
  return { jobId: id };
}

const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${MAX_IMPORT_BYTES / 1024 ** 2} MiB`);
