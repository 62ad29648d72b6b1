import fs from 'node:fs';
import path from 'node:path';
import { recordAudit } from '../audit/record-audit.ts';
import type { StorageDeps } from './deps.ts';
import { UPLOAD_ROOT } from './paths.ts';

export const SWEEP_ORPHANS_JOB = 'storage.sweepOrphans';
/**
 * Files changed more recently than this are never touched: an upload renames
 * its file into place before its row commits, and a migration or transfer
 * renames before it updates the row. Both take far less than an hour.
 */
export const ORPHAN_GRACE_MS = 60 * 60_000;
const TEMP_DIR = 'tmp/uploads';
const BATCH = 500;
/** upload/{folder}/{yyyy}/{mm}/file is four levels; anything much deeper is not ours to walk. */
const MAX_DEPTH = 12;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

export interface OrphanSweepReport {
  /** Regular files looked at, under upload/ and in the temp folder. */
  scanned: number;
  /** Files under upload/ that no row references. */
  orphans: { files: number; bytes: number };
  /** Partial uploads left in the temp folder. */
  temp: { files: number; bytes: number };
  bytesFreed: number;
  /** Symlinks, sockets, too-deep folders: never followed, never removed. */
  skipped: number;
  /** The first 100 removed paths (relative to the data dir), for the job result and the audit row. */
  removed: string[];
}

interface Found {
  rel: string;
  abs: string;
  bytes: number;
  /** The file id its name starts with (`{id}-{name}`, `{id}.part`), when it has one. */
  id: string | null;
  /** Last change: mtime, or ctime when later (a rename keeps the mtime but sets the ctime). */
  changedMs: number;
}

/**
 * Regular files under `data/rel`, streamed with `opendir` (never a whole
 * listing in memory). Symlinks are never followed: entries that are links are
 * skipped, and a folder is opened only if its real path is the path we built,
 * so no link in between can lead out of the data folder.
 */
async function* walk(data: string, rel: string, depth: number, report: OrphanSweepReport): AsyncGenerator<Found> {
  const abs = path.join(data, rel);
  if ((await fs.promises.realpath(abs).catch(() => null)) !== abs) {
    if (fs.existsSync(abs)) report.skipped++;
    return;
  }
  const dir = await fs.promises.opendir(abs).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (!dir) return;
  for await (const e of dir) {
    const childRel = `${rel}/${e.name}`;
    const childAbs = path.join(abs, e.name);
    if (e.isSymbolicLink()) {
      report.skipped++;
      continue;
    }
    // Some filesystems report no type in readdir; lstat then tells (and gives size and times anyway).
    const st = e.isDirectory() ? null : await fs.promises.lstat(childAbs).catch(() => null);
    if (e.isDirectory() || st?.isDirectory()) {
      if (depth < MAX_DEPTH) yield* walk(data, childRel, depth + 1, report);
      else report.skipped++;
    } else if (st?.isFile()) {
      report.scanned++;
      const id = e.name.match(UUID)?.[0] ?? null;
      yield { rel: childRel, abs: childAbs, bytes: st.size, id, changedMs: Math.max(st.mtimeMs, st.ctimeMs) };
    } else if (st) report.skipped++;
  }
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** Which of a batch's paths and ids a `files` row or an upload in flight still claims: three index lookups, one round trip. */
async function claimed(deps: StorageDeps, batch: Found[]): Promise<Set<string>> {
  const ids = [...new Set(batch.flatMap((f) => (f.id ? [f.id] : [])))];
  const parts = [`select path as key from files where path in (${marks(batch.length)})`];
  // The id too: a migration or transfer renames the file before it updates the row's path.
  if (ids.length) parts.push(`select id::text from files where id in (${marks(ids.length)})`, `select id::text from file_uploads where id in (${marks(ids.length)})`);
  const rows = await deps.em.execute<{ key: string }[]>(parts.join(' union all '), [...batch.map((f) => f.rel), ...ids, ...ids]);
  return new Set(rows.map((r) => r.key));
}

/** Temp files whose upload touched its reservation within the grace period: still streaming. */
async function liveUploads(deps: StorageDeps, batch: Found[], graceMs: number): Promise<Set<string>> {
  const ids = [...new Set(batch.flatMap((f) => (f.id ? [f.id] : [])))];
  if (!ids.length) return new Set();
  const rows = await deps.em.execute<{ key: string }[]>(
    `select id::text as key from file_uploads where id in (${marks(ids.length)}) and updated_at > now() - make_interval(secs => ?)`,
    [...ids, graceMs / 1000],
  );
  return new Set(rows.map((r) => r.key));
}

async function remove(f: Found, tally: { files: number; bytes: number }, report: OrphanSweepReport): Promise<boolean> {
  try {
    // unlink never follows a link: at worst it removes the link itself.
    await fs.promises.unlink(f.abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  tally.files++;
  tally.bytes += f.bytes;
  report.bytesFreed += f.bytes;
  if (report.removed.length < 100) report.removed.push(f.rel);
  return true;
}

/**
 * `storage.sweepOrphans`: removes files under upload/ that no row references
 * (a crash between a delete's commit and its unlink, an upload killed between
 * rename and commit) and partial uploads left in the temp folder, once they
 * are older than the grace period. Walks both trees as streams and checks
 * rows a batch at a time. Folders it empties are removed. Audited when it
 * removed anything.
 */
export async function sweepOrphans(deps: StorageDeps, opts: { graceMs?: number } = {}): Promise<OrphanSweepReport> {
  const graceMs = opts.graceMs ?? ORPHAN_GRACE_MS;
  const report: OrphanSweepReport = { scanned: 0, orphans: { files: 0, bytes: 0 }, temp: { files: 0, bytes: 0 }, bytesFreed: 0, skipped: 0, removed: [] };
  const data = await fs.promises.realpath(deps.dataDir).catch(() => null);
  if (!data) return report;
  const cutoff = deps.clock.now().getTime() - graceMs;
  const emptied = new Set<string>();

  const sweep = async (root: string, depth: number, check: (batch: Found[]) => Promise<Set<string>>, tally: { files: number; bytes: number }) => {
    let batch: Found[] = [];
    const settle = async () => {
      const keep = await check(batch);
      for (const f of batch) if (!keep.has(f.rel) && !(f.id && keep.has(f.id)) && (await remove(f, tally, report))) emptied.add(path.dirname(f.abs));
      batch = [];
    };
    for await (const f of walk(data, root, depth, report)) {
      if (f.changedMs > cutoff) continue;
      batch.push(f);
      if (batch.length >= BATCH) await settle();
    }
    if (batch.length) await settle();
  };
  await sweep(UPLOAD_ROOT, 0, (b) => claimed(deps, b), report.orphans);
  // The temp folder is flat: MAX_DEPTH there means its subfolders are skipped, not walked.
  await sweep(TEMP_DIR, MAX_DEPTH, (b) => liveUploads(deps, b, graceMs), report.temp);

  await pruneUpwards(emptied, path.join(data, UPLOAD_ROOT));
  if (report.bytesFreed > 0 || report.orphans.files + report.temp.files > 0) {
    recordAudit(deps.em, { actorId: null, action: SWEEP_ORPHANS_JOB, details: { ...report } });
    await deps.em.flush();
  }
  return report;
}

/** Removes folders left empty, up to (not including) upload/ itself; rmdir refuses any that still hold something. */
async function pruneUpwards(dirs: Set<string>, uploadRoot: string): Promise<void> {
  for (let dir of dirs) {
    while (dir.startsWith(uploadRoot + path.sep)) {
      if (!(await fs.promises.rmdir(dir).then(() => true, () => false))) break;
      dir = path.dirname(dir);
    }
  }
}
