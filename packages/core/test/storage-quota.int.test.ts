import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteFile, uploadFile } from '@roster/core';
import { appCodeOf, bytes, filesOnDisk, storageFixture } from './storage-support.ts';

let fx: Awaited<ReturnType<typeof storageFixture>>;
beforeAll(async () => {
  fx = await storageFixture();
});
afterAll(() => fx.api.close());

async function usageAndRows(userId: string) {
  const [r] = await fx.sql<{ usage: string; rows: string; sum: string; pending: string }[]>(
    `select usage_bytes as usage, (select count(*) from files where owner_id = u.id) as rows,
            (select coalesce(sum(size), 0) from files where owner_id = u.id) as sum,
            (select count(*) from file_uploads where user_id = u.id) as pending from users u where id = ?`,
    [userId],
  );
  return { usage: Number(r!.usage), rows: Number(r!.rows), sum: Number(r!.sum), pending: Number(r!.pending) };
}
const tmpFiles = () => filesOnDisk(path.join(fx.dataDir, 'tmp'));

describe('quota boundary', () => {
  it('accepts an upload that lands exactly on the quota and refuses one byte more, leaving nothing behind', async () => {
    const user = await fx.makeUser({ quotaBytes: 1000 });
    const ok = await uploadFile(fx.deps(), user, { name: 'exact.bin', size: 1000, body: bytes(1000, 300) });
    expect(ok.size).toBe(1000);
    const code = await appCodeOf(uploadFile(fx.deps(), user, { name: 'one-more.bin', size: 1, body: bytes(1) }));
    expect(code).toBe('QUOTA_EXCEEDED');
    expect(await usageAndRows(user.id)).toEqual({ usage: 1000, rows: 1, sum: 1000, pending: 0 });
    expect(filesOnDisk(path.join(fx.dataDir, 'upload', user.id)).map((f) => path.basename(f))).toEqual([`${ok.id}-exact.bin`]);
    expect(tmpFiles()).toEqual([]);
  });

  it('refuses a declared size over the quota before reading the body', async () => {
    const user = await fx.makeUser({ quotaBytes: 1000 });
    let read = false;
    const body = (async function* () {
      read = true;
      yield Buffer.alloc(1001);
    })();
    expect(await appCodeOf(uploadFile(fx.deps(), user, { name: 'big.bin', size: 1001, body }))).toBe('QUOTA_EXCEEDED');
    expect(read).toBe(false);
    expect(await usageAndRows(user.id)).toEqual({ usage: 0, rows: 0, sum: 0, pending: 0 });
  });

  it('stops a chunked (size unknown) body when it runs over, and gives the partial reservation back', async () => {
    const user = await fx.makeUser({ quotaBytes: 1000 });
    expect(await appCodeOf(uploadFile(fx.deps(), user, { name: 'chunked.bin', body: bytes(1500, 400) }))).toBe('QUOTA_EXCEEDED');
    expect(await usageAndRows(user.id)).toEqual({ usage: 0, rows: 0, sum: 0, pending: 0 });
    expect(tmpFiles()).toEqual([]);
    expect(filesOnDisk(path.join(fx.dataDir, 'upload', user.id))).toEqual([]);
    const ok = await uploadFile(fx.deps(), user, { name: 'fits.bin', body: bytes(1000, 400) });
    expect(ok.size).toBe(1000);
  });

  it('releases the reservation when the body fails midway (client gone)', async () => {
    const user = await fx.makeUser({ quotaBytes: null });
    const body = (async function* () {
      yield Buffer.alloc(500);
      throw new Error('aborted');
    })();
    await expect(uploadFile(fx.deps(), user, { name: 'gone.bin', size: 1000, body })).rejects.toThrow('aborted');
    expect(await usageAndRows(user.id)).toEqual({ usage: 0, rows: 0, sum: 0, pending: 0 });
    expect(tmpFiles()).toEqual([]);
  });

  it('refuses a body shorter or longer than its declared size', async () => {
    const user = await fx.makeUser();
    expect(await appCodeOf(uploadFile(fx.deps(), user, { name: 'short.bin', size: 10, body: bytes(5) }))).toBe('VALIDATION');
    expect(await appCodeOf(uploadFile(fx.deps(), user, { name: 'long.bin', size: 10, body: bytes(15) }))).toBe('VALIDATION');
    expect(await usageAndRows(user.id)).toEqual({ usage: 0, rows: 0, sum: 0, pending: 0 });
  });
});

describe('concurrent uploads near the quota', () => {
  it('never overshoots with 20 parallel declared-size uploads; usage equals the sum of the rows', async () => {
    const user = await fx.makeUser({ quotaBytes: 10_000 });
    await uploadFile(fx.deps(), user, { name: 'base.bin', size: 9_050, body: bytes(9_050) });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => uploadFile(fx.deps(), user, { name: `p${i}.bin`, size: 100, body: bytes(100, 10) })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(9);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as { code: string }).code).toBe('QUOTA_EXCEEDED');
    const s = await usageAndRows(user.id);
    expect(s).toEqual({ usage: 9_950, rows: 10, sum: 9_950, pending: 0 });
    expect(filesOnDisk(path.join(fx.dataDir, 'upload', user.id))).toHaveLength(10);
  });

  // Without a declared size, bytes are reserved as they arrive: parallel bodies may starve each
  // other (all refused is allowed), but together they never take usage past the quota.
  it('never overshoots with 20 parallel chunked uploads either', async () => {
    const user = await fx.makeUser({ quotaBytes: 5_000 });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => uploadFile(fx.deps(), user, { name: `c${i}.bin`, body: bytes(700, 100) })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(ok).toBeLessThanOrEqual(7);
    expect(await usageAndRows(user.id)).toEqual({ usage: ok * 700, rows: ok, sum: ok * 700, pending: 0 });
    expect(tmpFiles()).toEqual([]);
  });
});

describe('delete', () => {
  it('gives the bytes back and removes the file; a second delete finds nothing', async () => {
    const user = await fx.makeUser({ quotaBytes: 1000 });
    const f = await uploadFile(fx.deps(), user, { name: 'a.txt', size: 600, body: bytes(600) });
    expect(await appCodeOf(uploadFile(fx.deps(), user, { name: 'b.txt', size: 600, body: bytes(600) }))).toBe('QUOTA_EXCEEDED');
    const res = await deleteFile(fx.deps(), user, f.id);
    expect(res).toEqual({ id: f.id, freedBytes: 600, usageBytes: 0 });
    expect(filesOnDisk(path.join(fx.dataDir, 'upload', user.id))).toEqual([]);
    await uploadFile(fx.deps(), user, { name: 'b.txt', size: 600, body: bytes(600) });
    expect(await appCodeOf(deleteFile(fx.deps(), user, f.id))).toBe('NOT_FOUND');
    expect((await usageAndRows(user.id)).usage).toBe(600);
  });

  it('lets only the owner or an admin delete', async () => {
    const [a, b] = [await fx.makeUser(), await fx.makeUser()];
    const f = await uploadFile(fx.deps(), a, { name: 'mine.txt', size: 3, body: bytes(3) });
    expect(await appCodeOf(deleteFile(fx.deps(), b, f.id))).toBe('NOT_FOUND');
    expect((await deleteFile(fx.deps(), fx.owner, f.id)).freedBytes).toBe(3);
    const [audit] = await fx.sql<{ action: string }[]>(`select action from audit_log where action = 'file.delete'`);
    expect(audit?.action).toBe('file.delete');
  });
});
