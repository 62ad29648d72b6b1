import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  absolutePath,
  deleteFile,
  getServerStats,
  listAllNotifications,
  listFiles,
  listNotifications,
  markNotificationsRead,
  openFileDownload,
  recalculateUsage,
  safeDiskName,
  uploadFile,
} from '@roster/core';
import { appCodeOf, bytes, filesOnDisk, storageFixture } from './storage-support.ts';

let fx: Awaited<ReturnType<typeof storageFixture>>;
beforeAll(async () => {
  fx = await storageFixture();
});
afterAll(() => fx.api.close());

describe('names and paths', () => {
  const hostile = [
    '../escape.txt',
    '..',
    '.',
    '/etc/passwd',
    'a/b.txt',
    '..\\..\\windows.ini',
    'C:\\boot.ini',
    'nul\0byte.txt',
    '\uff0e\uff0e\uff0fescape.txt', // fullwidth "../"
    'evil\u202etxt.exe',
    'line\nbreak',
    '',
    '   ',
    'x'.repeat(256),
  ];
  it.each(hostile)('refuses %j with VALIDATION and writes nothing', async (name) => {
    const user = await fx.makeUser();
    expect(await appCodeOf(uploadFile(fx.deps(), user, { name, size: 3, body: bytes(3) }))).toBe('VALIDATION');
    expect(filesOnDisk(fx.dataDir)).toEqual([]);
    const [u] = await fx.sql<{ usage_bytes: string }[]>(`select usage_bytes from users where id = ?`, [user.id]);
    expect(Number(u!.usage_bytes)).toBe(0);
  });

  it('keeps odd but harmless names, sanitised on disk inside the user folder', async () => {
    const user = await fx.makeUser({ storageLabel: 'ada' });
    for (const name of ['ünïcødé 文件.txt', '.bashrc', '....hidden', 'a..b', '%2e%2e%2fx', 'CON']) {
      const f = await uploadFile(fx.deps(), user, { name, size: 1, body: bytes(1) });
      expect(f.name).toBe(name);
      expect(f.path).toMatch(new RegExp(`^upload/ada/\\d{4}/\\d{2}/${f.id}-[A-Za-z0-9._-]+$`));
      const abs = absolutePath(fx.dataDir, f.path);
      expect(abs.startsWith(path.join(fx.dataDir, 'upload', 'ada') + path.sep)).toBe(true);
      expect(fs.statSync(abs).size).toBe(1);
    }
    expect(safeDiskName('ünïcødé 文件.txt')).toBe('unic_de_.txt');
  });

  it('never resolves a tampered row path outside the upload folder', () => {
    for (const p of ['upload/../../etc/passwd', '/etc/passwd', 'upload/a/../../x', 'upload/x', 'upload/a\0/b', '../upload/a/b'])
      expect(() => absolutePath(fx.dataDir, p)).toThrow();
  });

  it('lets a user upload only as themselves; admins may upload as others', async () => {
    const [a, b] = [await fx.makeUser(), await fx.makeUser()];
    expect(await appCodeOf(uploadFile(fx.deps(), a, { ownerId: b.id, name: 'x', size: 1, body: bytes(1) }))).toBe('FORBIDDEN');
    const f = await uploadFile(fx.deps(), fx.owner, { ownerId: b.id, name: 'from-admin.txt', size: 1, body: bytes(1) });
    expect(f.ownerId).toBe(b.id);
    expect(f.path.startsWith(`upload/${b.id}/`)).toBe(true);
  });
});

describe('list and download', () => {
  it('lists newest first with paging, own files only unless admin; downloads stream the bytes back', async () => {
    const [a, b] = [await fx.makeUser(), await fx.makeUser()];
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await uploadFile(fx.deps(), a, { name: `f${i}.txt`, size: 5, body: bytes(5, 5, 0x30 + i) })).id);
    const page = await listFiles(fx.deps(), a, { page: 1, pageSize: 2 });
    expect(page.total).toBe(3);
    expect(page.items.map((f) => f.name)).toEqual(['f2.txt', 'f1.txt']);
    expect(await appCodeOf(listFiles(fx.deps(), b, { page: 1, pageSize: 10, userId: a.id }))).toBe('FORBIDDEN');
    expect((await listFiles(fx.deps(), fx.owner, { page: 1, pageSize: 10, userId: a.id })).total).toBe(3);
    const dl = await openFileDownload(fx.deps(), a, ids[1]!);
    expect(await text(dl.stream)).toBe('11111');
    expect(dl.file.sha1).toBe(createHash('sha1').update('11111').digest('hex'));
    expect(await appCodeOf(openFileDownload(fx.deps(), b, ids[1]!))).toBe('NOT_FOUND');
    expect(await text((await openFileDownload(fx.deps(), fx.owner, ids[1]!)).stream)).toBe('11111');
  });
});

describe('quota warnings', () => {
  it('notifies once per threshold crossing (80, 90, 100 %), again after falling below', async () => {
    const user = await fx.makeUser({ quotaBytes: 1000 });
    const up = (n: number) => uploadFile(fx.deps(), user, { name: `${n}.bin`, size: n, body: bytes(n) });
    const levels = async () =>
      (await listNotifications(fx.deps(), user, { page: 1, pageSize: 50 })).items.map((n) => n.data.percent).reverse();
    await up(500);
    expect(await levels()).toEqual([]);
    const big = await up(300); // 80 %
    await up(50); // 85 %: nothing new
    expect(await levels()).toEqual([80]);
    await up(60); // 91 %
    await up(5);
    await up(85); // 100 %
    expect(await levels()).toEqual([80, 90, 100]);
    await deleteFile(fx.deps(), user, big.id); // 70 %
    expect(await levels()).toEqual([80, 90, 100]);
    await up(150); // 85 % again
    expect(await levels()).toEqual([80, 90, 100, 80]);
    const list = await listNotifications(fx.deps(), user, { page: 1, pageSize: 50 });
    expect(list.unread).toBe(4);
    expect(list.items[0]!.message).toContain('80 %');
    expect((await markNotificationsRead(fx.deps(), user)).updated).toBe(4);
    expect((await listNotifications(fx.deps(), user, { page: 1, pageSize: 50, unreadOnly: true })).total).toBe(0);
    const forAdmins = await listAllNotifications(fx.deps(), { page: 1, pageSize: 50, userId: user.id });
    expect(forAdmins.total).toBe(4);
    expect(forAdmins.items[0]!.user.email).toBe(user.email);
  });

  it('records one notice when 20 parallel uploads cross a threshold together', async () => {
    const user = await fx.makeUser({ quotaBytes: 2000 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => uploadFile(fx.deps(), user, { name: `${i}`, size: 85, body: bytes(85) })));
    const items = (await listNotifications(fx.deps(), user, { page: 1, pageSize: 50 })).items;
    expect(items.map((n) => n.data.percent)).toEqual([80]);
  });
});

describe('stats and usage recalculation', () => {
  it('reports per-user usage sorted by usage, and totals', async () => {
    const big = await fx.makeUser({ quotaBytes: 10_000 });
    await uploadFile(fx.deps(), big, { name: 'a', size: 4_000, body: bytes(4_000) });
    await uploadFile(fx.deps(), big, { name: 'b', size: 1_000, body: bytes(1_000) });
    const stats = await getServerStats(fx.deps(), { page: 1, pageSize: 500 });
    const row = stats.users.find((u) => u.id === big.id)!;
    expect(row).toMatchObject({ email: big.email, name: big.name, files: 2, usageBytes: 5_000, quotaBytes: 10_000, usagePercent: 50 });
    expect(stats.users[0]!.id).toBe(big.id);
    const usages = stats.users.map((u) => u.usageBytes);
    expect(usages).toEqual([...usages].sort((x, y) => y - x));
    const [t] = await fx.sql<{ users: string; files: string; usage: string }[]>(
      `select (select count(*) from users) as users, (select count(*) from files) as files, (select sum(usage_bytes) from users) as usage`,
    );
    expect(stats.totals).toEqual({ users: Number(t!.users), files: Number(t!.files), usageBytes: Number(t!.usage) });
    expect(stats.users.find((u) => u.quotaBytes == null)?.usagePercent ?? null).toBeNull();
  });

  it('recomputes usage from the rows, reports the drift, and releases stale uploads', async () => {
    const user = await fx.makeUser({ quotaBytes: 10_000 });
    await uploadFile(fx.deps(), user, { name: 'a', size: 700, body: bytes(700) });
    await fx.sql(`update users set usage_bytes = 9999 where id = ?`, [user.id]);
    // A crashed upload: reservation held for two hours, partial file on disk.
    const crashed = '11111111-2222-4333-8444-555555555555';
    await fx.sql(`update users set usage_bytes = usage_bytes + 50 where id = ?`, [user.id]);
    await fx.sql(`insert into file_uploads (id, user_id, path, bytes, updated_at) values (?, ?, ?, 50, now() - interval '2 hours')`, [
      crashed,
      user.id,
      `upload/${user.id}/2026/01/${crashed}-x`,
    ]);
    fs.mkdirSync(path.join(fx.dataDir, 'tmp', 'uploads'), { recursive: true });
    fs.writeFileSync(path.join(fx.dataDir, 'tmp', 'uploads', `${crashed}.part`), 'partial');
    const report = await recalculateUsage(fx.deps());
    expect(report.staleUploadsReleased).toBe(1);
    expect(report.drift).toContainEqual({ userId: user.id, email: user.email, beforeBytes: 9999, afterBytes: 700, driftBytes: 9299 });
    expect(fs.existsSync(path.join(fx.dataDir, 'tmp', 'uploads', `${crashed}.part`))).toBe(false);
    const again = await recalculateUsage(fx.deps());
    expect(again.drifted).toBe(0);
    const [audit] = await fx.sql<{ details: { drifted: number } }[]>(`select details from audit_log where action = 'storage.recalculateUsage'`);
    expect(audit!.details.drifted).toBeGreaterThanOrEqual(1);
  });
});
