import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, inject } from 'vitest';
import { absolutePath, sweepOrphans, tempUploadPath, uploadFile, type CoreDeps } from '@roster/core';
import { bytes, filesOnDisk, storageFixture } from './storage-support.ts';

let fx: Awaited<ReturnType<typeof storageFixture>>;
beforeAll(async () => {
  fx = await storageFixture();
});
afterAll(() => fx.api.close());

/**
 * A rename or write sets a file's ctime to now and nothing can set it back,
 * so "older than the grace" is made by running the sweep 90 minutes ahead;
 * a file stays young by having its mtime pushed further ahead than that.
 */
const later = (deps: CoreDeps): CoreDeps => ({ ...deps, clock: { now: () => new Date(Date.now() + 90 * 60_000) } });
const keepYoung = (abs: string) => {
  const t = new Date(Date.now() + 80 * 60_000);
  fs.utimesSync(abs, t, t);
};
/** Writes a file under the data dir (relative path), creating its folders. */
const put = (rel: string, size = 10) => {
  const abs = path.join(fx.dataDir, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, Buffer.alloc(size, 0x6f));
  return abs;
};
/** A `files` row's path for a file with no row, in the shape uploads use. */
const stray = (folder: string, name = 'lost.bin') => `upload/${folder}/2025/01/${randomUUID()}-${name}`;
/** Counts the SQL statements a sweep sends. */
function counted(deps: CoreDeps) {
  let n = 0;
  const execute = deps.em.execute.bind(deps.em);
  deps.em.execute = ((...args: Parameters<typeof execute>) => {
    n++;
    return execute(...args);
  }) as typeof execute;
  return { deps, queries: () => n };
}

beforeEach(async () => {
  fs.rmSync(path.join(fx.dataDir, 'upload'), { recursive: true, force: true });
  fs.rmSync(path.join(fx.dataDir, 'tmp'), { recursive: true, force: true });
  await fx.sql(`delete from files`);
  await fx.sql(`delete from file_uploads`);
  await fx.sql(`delete from audit_log where action = 'storage.sweepOrphans'`);
});

describe('storage.sweepOrphans', () => {
  it('removes old unreferenced files; keeps young ones, referenced ones and every other user’s files', async () => {
    const ada = await fx.makeUser({ storageLabel: 'ada' });
    const bob = await fx.makeUser();
    const adaFile = await uploadFile(fx.deps(), ada, { name: 'kept.txt', size: 5, body: bytes(5) });
    const bobFile = await uploadFile(fx.deps(), bob, { name: 'bob.txt', size: 7, body: bytes(7) });
    const old = stray('ada');
    put(old, 1000);
    const lonely = stray('ada', 'alone.bin');
    put(lonely, 24);
    const young = stray('ada', 'young.bin');
    keepYoung(put(young, 50));

    const report = await sweepOrphans(later(fx.deps()));

    expect(report).toMatchObject({ scanned: 5, orphans: { files: 2, bytes: 1024 }, temp: { files: 0, bytes: 0 }, bytesFreed: 1024, skipped: 0 });
    expect(report.removed.sort()).toEqual([old, lonely].sort());
    expect(filesOnDisk(fx.dataDir)).toEqual([adaFile.path, bobFile.path, young].sort());
    const [audit] = await fx.sql<{ actor_id: string | null; details: { bytesFreed: number; orphans: { files: number } } }[]>(
      `select actor_id, details from audit_log where action = 'storage.sweepOrphans'`,
    );
    expect(audit).toMatchObject({ actor_id: null, details: { bytesFreed: 1024, orphans: { files: 2 } } });

    // Nothing left to do: no second audit row.
    expect((await sweepOrphans(later(fx.deps()))).bytesFreed).toBe(0);
    expect(await fx.sql(`select 1 from audit_log where action = 'storage.sweepOrphans'`)).toHaveLength(1);
  });

  it('leaves files at the clock’s present alone, and removes the folders it empties', async () => {
    const rel = stray('carol');
    put(rel);
    expect((await sweepOrphans(fx.deps())).orphans.files).toBe(0);
    expect(filesOnDisk(fx.dataDir)).toEqual([rel]);
    await sweepOrphans(later(fx.deps()));
    expect(filesOnDisk(fx.dataDir)).toEqual([]);
    expect(fs.readdirSync(path.join(fx.dataDir, 'upload'))).toEqual([]);
  });

  it('keeps a file whose row still names its old path (a migration between rename and row update) and an upload between rename and commit', async () => {
    const ada = await fx.makeUser({ storageLabel: 'dora' });
    const f = await uploadFile(fx.deps(), ada, { name: 'moving.txt', size: 3, body: bytes(3) });
    const movedTo = f.path.replace('upload/dora/', 'upload/dorothy/');
    fs.mkdirSync(path.dirname(absolutePath(fx.dataDir, movedTo)), { recursive: true });
    fs.renameSync(absolutePath(fx.dataDir, f.path), absolutePath(fx.dataDir, movedTo));
    const inFlight = randomUUID();
    const landed = `upload/dora/2025/02/${inFlight}-landed.bin`;
    put(landed, 9);
    await fx.sql(`insert into file_uploads (id, user_id, path, bytes) values (?, ?, ?, 9)`, [inFlight, ada.id, landed]);

    const report = await sweepOrphans(later(fx.deps()));

    expect(report.orphans.files).toBe(0);
    expect(filesOnDisk(fx.dataDir)).toEqual([movedTo, landed].sort());
  });

  it('never follows a symlink out of the data folder', async () => {
    const outside = fs.mkdtempSync(path.join(inject('tmpRoot'), 'outside-'));
    fs.writeFileSync(path.join(outside, 'precious.txt'), 'keep me');
    fs.mkdirSync(path.join(outside, 'upload', 'eve'), { recursive: true });
    fs.writeFileSync(path.join(outside, 'upload', 'eve', 'also-precious.txt'), 'keep me too');
    fs.mkdirSync(path.join(fx.dataDir, 'upload', 'eve', '2025'), { recursive: true });
    // A folder link, a file link, and a link in the temp folder, all pointing outside.
    fs.symlinkSync(outside, path.join(fx.dataDir, 'upload', 'eve', '2025', '01'));
    fs.symlinkSync(path.join(outside, 'precious.txt'), path.join(fx.dataDir, 'upload', 'eve', `${randomUUID()}-link.txt`));
    fs.mkdirSync(path.join(fx.dataDir, 'tmp', 'uploads'), { recursive: true });
    fs.symlinkSync(path.join(outside, 'precious.txt'), tempUploadPath(fx.dataDir, randomUUID()));
    const real = `upload/eve/2024/12/${randomUUID()}-real.bin`;
    put(real);

    const report = await sweepOrphans(later(fx.deps()));

    expect(report).toMatchObject({ orphans: { files: 1 }, temp: { files: 0 }, skipped: 3 });
    expect(report.removed).toEqual([real]);
    expect(fs.readFileSync(path.join(outside, 'precious.txt'), 'utf8')).toBe('keep me');
    expect(fs.readFileSync(path.join(outside, 'upload', 'eve', 'also-precious.txt'), 'utf8')).toBe('keep me too');
    expect(fs.lstatSync(path.join(fx.dataDir, 'upload', 'eve', '2025', '01')).isSymbolicLink()).toBe(true);
  });

  it('does not walk an upload folder that is itself a link out of the data folder', async () => {
    const outside = fs.mkdtempSync(path.join(inject('tmpRoot'), 'outside-'));
    const victim = path.join(outside, 'frank', '2025', '01', `${randomUUID()}-victim.bin`);
    fs.mkdirSync(path.dirname(victim), { recursive: true });
    fs.writeFileSync(victim, 'x');
    fs.symlinkSync(outside, path.join(fx.dataDir, 'upload'));
    const report = await sweepOrphans(later(fx.deps()));
    expect(report).toMatchObject({ scanned: 0, skipped: 1, bytesFreed: 0 });
    expect(fs.existsSync(victim)).toBe(true);
  });

  it('removes stale partial uploads from the temp folder; keeps young ones and ones whose upload is still streaming', async () => {
    const gus = await fx.makeUser();
    const stale = tempUploadPath(fx.dataDir, randomUUID());
    const unknown = path.join(fx.dataDir, 'tmp', 'uploads', 'leftover.tmp');
    const youngId = randomUUID();
    const streamingId = randomUUID();
    put(path.relative(fx.dataDir, stale), 300);
    put(path.relative(fx.dataDir, unknown), 12);
    keepYoung(put(path.relative(fx.dataDir, tempUploadPath(fx.dataDir, youngId)), 5));
    put(path.relative(fx.dataDir, tempUploadPath(fx.dataDir, streamingId)), 7);
    await fx.sql(`insert into file_uploads (id, user_id, path, bytes) values (?, ?, ?, 7)`, [streamingId, gus.id, stray(gus.id)]);

    const report = await sweepOrphans(later(fx.deps()));

    expect(report).toMatchObject({ temp: { files: 2, bytes: 312 }, orphans: { files: 0 }, bytesFreed: 312 });
    expect(filesOnDisk(path.join(fx.dataDir, 'tmp', 'uploads'))).toEqual([`${streamingId}.part`, `${youngId}.part`].sort());
  });

  it('checks rows a batch at a time, not one query per file', async () => {
    const hal = await fx.makeUser({ storageLabel: 'hal' });
    const kept = [];
    for (let i = 0; i < 3; i++) kept.push((await uploadFile(fx.deps(), hal, { name: `k${i}.txt`, size: 1, body: bytes(1) })).path);
    for (let i = 0; i < 1200; i++) put(stray('hal', `o${i}.bin`), 1);
    const { deps, queries } = counted(later(fx.deps()));

    const report = await sweepOrphans(deps);

    expect(report).toMatchObject({ scanned: 1203, orphans: { files: 1200, bytes: 1200 } });
    expect(report.removed).toHaveLength(100);
    expect(queries()).toBeLessThanOrEqual(4);
    expect(filesOnDisk(fx.dataDir)).toEqual(kept.sort());
  });
});

