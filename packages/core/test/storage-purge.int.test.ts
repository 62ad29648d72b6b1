import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { absolutePath, filesPurgeStep, movedFilePath, uploadFile, type PurgeContext } from '@roster/core';
import { bytes, filesOnDisk, storageFixture } from './storage-support.ts';

let fx: Awaited<ReturnType<typeof storageFixture>>;
beforeAll(async () => {
  fx = await storageFixture();
});
afterAll(() => fx.api.close());

const N = 230; // more than one batch of 200
async function userWithFiles(label?: string) {
  const user = await fx.makeUser({ storageLabel: label });
  const files = [];
  for (let i = 0; i < N; i++) files.push(await uploadFile(fx.deps(), user, { name: `f${i}.txt`, size: 10, body: bytes(10) }));
  return { user, files };
}
const ctx = (userId: string, transferToUserId: string | null, log: (m: string) => void = () => {}): PurgeContext => ({
  deps: fx.deps(),
  userId,
  transferToUserId,
  log,
});
const usage = async (id: string) =>
  Number((await fx.sql<{ u: string }[]>(`select usage_bytes as u from users where id = ?`, [id]))[0]!.u);
const rowsOf = (id: string) => fx.sql<{ id: string; path: string }[]>(`select id, path from files where owner_id = ?`, [id]);

describe('files purge step', () => {
  it('previews and deletes every file and row, finishing after a crash mid-way', async () => {
    const { user, files } = await userWithFiles('purgee');
    expect(await filesPurgeStep.preview(fx.deps(), user.id)).toEqual({ files: N, bytes: N * 10 });
    // Crash after the first batch committed, and (next batch) after unlinking a file but before its row went.
    await expect(filesPurgeStep.run(ctx(user.id, null, () => { throw new Error('crash'); }))).rejects.toThrow('crash');
    const left = await rowsOf(user.id);
    expect(left).toHaveLength(N - 200);
    fs.rmSync(absolutePath(fx.dataDir, left[0]!.path));
    expect(await filesPurgeStep.run(ctx(user.id, null))).toEqual({ files: N - 200, bytes: (N - 200) * 10 });
    expect(await rowsOf(user.id)).toEqual([]);
    expect(await usage(user.id)).toBe(0);
    expect(fs.existsSync(path.join(fx.dataDir, 'upload', 'purgee'))).toBe(false);
    expect(await filesPurgeStep.run(ctx(user.id, null))).toEqual({ files: 0, bytes: 0 });
    expect(files).toHaveLength(N);
  });

  it('pages through rows that share created_at, and finds a row added behind its keyset', async () => {
    // One transaction's rows share created_at (now()): more than two batches of them, written like uploads.
    const user = await fx.makeUser({ storageLabel: 'bulk-import' });
    const bystander = await fx.makeUser({ storageLabel: 'beside' });
    const write = async (owner: string, label: string, n: number, from = 0) => {
      const rows = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), path: `upload/${label}/2026/01/f${from + i}.txt` }));
      for (const r of rows) {
        fs.mkdirSync(path.dirname(absolutePath(fx.dataDir, r.path)), { recursive: true });
        fs.writeFileSync(absolutePath(fx.dataDir, r.path), 'ten bytes.');
      }
      await fx.sql(
        `insert into files (id, owner_id, path, size, sha1, mime_type, original_name)
         select x.id::uuid, ?, x.path, 10, 'x', 'text/plain', 'f.txt' from jsonb_to_recordset(?::jsonb) as x(id text, path text)`,
        [owner, JSON.stringify(rows)],
      );
      await fx.sql(`update users set usage_bytes = usage_bytes + ? where id = ?`, [n * 10, owner]);
    };
    await write(user.id, 'bulk-import', 450);
    await write(bystander.id, 'beside', 3);
    // Once the first batch is gone, a newer row appears (an upload that was in flight): the keyset has passed it.
    const deps = fx.deps();
    const execute = deps.em.execute.bind(deps.em);
    let batchesDone = 0;
    deps.em.execute = (async (...args: Parameters<typeof execute>) => {
      const res = await execute(...args);
      if (String(args[0]).includes('delete from files') && ++batchesDone === 1) await write(user.id, 'bulk-import', 1, 450);
      return res;
    }) as typeof execute;
    const res = await filesPurgeStep.run({ deps, userId: user.id, transferToUserId: null, log: () => {} });
    expect(res).toEqual({ files: 451, bytes: 4510 });
    expect(await rowsOf(user.id)).toEqual([]);
    expect(await usage(user.id)).toBe(0);
    expect(fs.existsSync(path.join(fx.dataDir, 'upload', 'bulk-import'))).toBe(false);
    expect(await rowsOf(bystander.id)).toHaveLength(3);
    expect(filesOnDisk(path.join(fx.dataDir, 'upload', 'beside'))).toHaveLength(3);
  });

  it('transfers files, rows and usage to another user, resuming after a crash between move and commit', async () => {
    const { user } = await userWithFiles();
    const target = await fx.makeUser({ storageLabel: 'heir' });
    await uploadFile(fx.deps(), target, { name: 'own.txt', size: 5, body: bytes(5) });
    await expect(filesPurgeStep.run(ctx(user.id, target.id, () => { throw new Error('crash'); }))).rejects.toThrow('crash');
    // Simulate the crash inside the next batch: some files already renamed into the heir's folder, rows not yet.
    const left = await rowsOf(user.id);
    for (const r of left.slice(0, 5)) {
      const to = absolutePath(fx.dataDir, movedFilePath(r.path, 'upload/heir'));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.renameSync(absolutePath(fx.dataDir, r.path), to);
    }
    // And one file lost from disk: its row cannot be transferred and goes (no row may point at nothing).
    fs.rmSync(absolutePath(fx.dataDir, left[10]!.path));
    const res = await filesPurgeStep.run(ctx(user.id, target.id));
    expect(res).toEqual({ files: N - 201, bytes: (N - 201) * 10, missing: 1 });
    expect(await rowsOf(user.id)).toEqual([]);
    const heirRows = await rowsOf(target.id);
    expect(heirRows).toHaveLength(N);
    for (const r of heirRows) {
      expect(r.path.startsWith('upload/heir/')).toBe(true);
      expect(fs.statSync(absolutePath(fx.dataDir, r.path)).isFile()).toBe(true);
    }
    expect(filesOnDisk(path.join(fx.dataDir, 'upload', 'heir'))).toHaveLength(N);
    expect(fs.existsSync(path.join(fx.dataDir, 'upload', user.id))).toBe(false);
    expect(await usage(user.id)).toBe(0);
    expect(await usage(target.id)).toBe((N - 1) * 10 + 5);
  });

  it('refuses to transfer to a missing user', async () => {
    const { user } = await userWithFiles();
    await expect(filesPurgeStep.run(ctx(user.id, '00000000-0000-4000-8000-000000000000'))).rejects.toMatchObject({ code: 'TRANSFER_TARGET_INVALID' });
  });
});
