import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RedisServer } from '@roster/jobs/redis-server';
import { CliSandbox, createOwner, hasScript, okJson, OWNER, runInTerminal } from '../../support/cli.ts';
import { startApp, type RunningApp } from '../../support/server.ts';
import { startOwnRedis, waitUntil } from '../../support/worker.ts';

// Every step spawns the real binary: about 0.4 s of CPU each, far more on a busy machine.
vi.setConfig({ testTimeout: 240_000 });

let app: RunningApp;
let redis: RedisServer;
let owner: CliSandbox;
let files: string;
const PW = 'a long enough password';

const create = (email: string, extra: string[] = []) =>
  owner
    .run(['users', 'create', email, '--name', email.split('@')[0]!, '--password-stdin', '--no-must-change', '--json', ...extra], { input: PW })
    .then((r) => okJson(r).user as { id: string; email: string });
const failure = (r: { code: number | null; stdout: string; stderr: string }, exit: number, code: string) => {
  expect(r.code, r.stderr).toBe(exit);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(new RegExp(`^error ${code}: .*\\n(.*\\n)*hint: `));
};
const write = (name: string, data: Buffer) => {
  const p = path.join(files, name);
  fs.writeFileSync(p, data);
  return p;
};
/** Every file under the data dir's upload/ and tmp/ folders. */
const onDisk = (sub: string) => {
  const root = path.join(app.dataDir, sub);
  return fs.existsSync(root) ? (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(root, f)).isFile()) : [];
};
/** Polls `users get` until the server no longer knows the user (the purge removed the row). */
const purged = (email: string) =>
  waitUntil(async () => (await owner.run(['users', 'get', email, '--json'])).stderr.startsWith('error USER_NOT_FOUND'), 60_000, `${email} purged`, 500);

beforeAll(async () => {
  // Its own Redis: this app runs a worker, which must not take other test files' jobs.
  redis = await startOwnRedis();
  app = await startApp({ worker: true, env: { REDIS_URL: redis.url } });
  await createOwner(app.baseUrl);
  owner = new CliSandbox();
  files = path.join(owner.home, 'files');
  fs.mkdirSync(files);
  const r = await owner.run(['login', '--url', app.baseUrl, '--email', OWNER.email, '--password-stdin'], { input: OWNER.password });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  await app?.stop();
  await redis?.stop();
  owner?.remove();
});

describe('roster files', () => {
  it('uploads, lists and downloads the exact bytes back', async () => {
    const photo = randomBytes(700_000);
    const a = write('Fotó 1.jpg', photo);
    const note = 'plain text, which a form-type upload would get refused for\n';
    const b = write('notes.txt', Buffer.from(note));
    const up = okJson(await owner.run(['files', 'upload', a, b, '--json']));
    expect(up.files.map((f: { name: string; size: number }) => [f.name, f.size])).toEqual([
      ['Fotó 1.jpg', photo.length],
      ['notes.txt', note.length],
    ]);
    const list = okJson(await owner.run(['files', 'list', '--json']));
    expect(list).toMatchObject({ total: 2, usage: { files: 2, usageBytes: photo.length + note.length, quotaBytes: null } });

    const out = path.join(owner.home, 'out');
    fs.mkdirSync(out);
    const id = up.files[0].id;
    const d = await owner.run(['files', 'download', id, '-o', out]);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toBe(`✓ Saved ${path.join(out, 'Fotó 1.jpg')} (684 KiB)\n`);
    expect(fs.readFileSync(path.join(out, 'Fotó 1.jpg')).equals(photo)).toBe(true);
    failure(await owner.run(['files', 'download', id, '-o', out]), 1, 'FILE_EXISTS');
    expect(fs.readdirSync(out)).toEqual(['Fotó 1.jpg']);
    const text = await owner.run(['files', 'download', up.files[1].id, '-o', '-']);
    expect(text.stdout).toBe(note);
    failure(await owner.run(['files', 'download', '00000000-0000-4000-8000-000000000000']), 1, 'NOT_FOUND');

    const human = await owner.run(['files', 'list']);
    expect(human.stdout).toMatch(/^ID\s+SIZE\s+UPLOADED\s+NAME\n/);
    expect(human.stdout).toContain('2 files, 684 KiB used (no quota)');
  });

  it('refuses an upload over quota with QUOTA_EXCEEDED and leaves no file and no row', async () => {
    const fay = await create('fay@example.com', ['--quota', '0.000001']); // 1074 bytes
    const big = write('big.bin', randomBytes(5_000_000));
    const small = write('small.bin', randomBytes(100));
    const before = onDisk('upload').length;
    failure(await owner.run(['files', 'upload', big, '--as', 'fay@example.com']), 1, 'QUOTA_EXCEEDED');
    expect(okJson(await owner.run(['files', 'list', '--user', fay.id, '--json']))).toMatchObject({ total: 0, usage: { usageBytes: 0 } });
    expect(onDisk('upload')).toHaveLength(before);
    expect(onDisk('tmp')).toEqual([]);

    // In a batch the files that fit still go in; the command still fails.
    const both = await owner.run(['files', 'upload', big, small, '--as', fay.id]);
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/^uploaded small\.bin \(100 B\) as [0-9a-f-]{36}\nerror QUOTA_EXCEEDED: 1 file not uploaded: .*big\.bin/);
    expect(okJson(await owner.run(['files', 'list', '--user', 'fay@example.com', '--json'])).total).toBe(1);
  });

  it('deletes files only with --yes when there is no terminal', async () => {
    const { items } = okJson(await owner.run(['files', 'list', '--user', 'fay@example.com', '--json']));
    const refused = await owner.run(['files', 'rm', items[0].id]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error CONFIRMATION_REQUIRED: /);
    const rm = okJson(await owner.run(['files', 'rm', items[0].id, '--yes', '--json']));
    expect(rm.deleted).toEqual([{ id: items[0].id, freedBytes: 100, usageBytes: 0 }]);
  });
});

describe('roster stats and roster jobs', () => {
  it('shows usage per user and totals, and runs the maintenance jobs', async () => {
    const stats = okJson(await owner.run(['stats', '--json']));
    expect(stats.totals).toMatchObject({ users: 2, files: 2 });
    expect(stats.users[0]).toMatchObject({ email: OWNER.email, files: 2, quotaBytes: null, usagePercent: null });
    expect(stats.users).toContainEqual(expect.objectContaining({ email: 'fay@example.com', quotaBytes: 1074, usagePercent: 0 }));
    const human = await owner.run(['stats']);
    expect(human.stdout).toMatch(/fay@example\.com\s+0\s+0 B\s+1\.0 KiB\s+░+ 0\.0%/);
    expect(human.stdout).toContain('Total: 2 users, 2 files');

    const run = okJson(await owner.run(['jobs', 'run', 'recalculate-usage', '--json']));
    expect(run).toMatchObject({ name: 'recalculate-usage', job: 'storage.recalculateUsage' });
    await waitUntil(
      async () => okJson(await owner.run(['jobs', '--json'])).jobs.some((j: { name: string; completed: number }) => j.name === 'storage.recalculateUsage' && j.completed > 0),
      60_000,
      'usage recalculated',
      500,
    );
    expect(okJson(await owner.run(['jobs', 'run', 'sweep-orphans', '--json']))).toMatchObject({ name: 'sweep-orphans', job: 'storage.sweepOrphans' });
    await waitUntil(
      async () => okJson(await owner.run(['jobs', '--json'])).jobs.some((j: { name: string; completed: number }) => j.name === 'storage.sweepOrphans' && j.completed > 0),
      60_000,
      'orphan sweep run',
      500,
    );
    const help = await owner.run(['jobs', 'run', '--help']);
    expect(help.stdout).toContain('sweep-orphans: removes files on disk that no file row references');
    const bad = await owner.run(['jobs', 'run', 'storage-migraton']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('did you mean storage-migration?');
  });
});

describe('roster users delete, restore, deletion-preview, purge-now', () => {
  it('previews, schedules, shows the countdown, restores', async () => {
    const gus = await create('gus@example.com');
    okJson(await owner.run(['files', 'upload', write('gus.txt', Buffer.from('gus was here')), '--as', gus.id, '--json']));
    const refused = await owner.run(['users', 'delete', 'gus@example.com']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error CONFIRMATION_REQUIRED: deleting a user needs confirmation.*\nhint: pass --yes/);

    const preview = okJson(await owner.run(['users', 'deletion-preview', 'gus@example.com', '--json']));
    expect(preview).toMatchObject({ id: gus.id, status: 'active', delayDays: 7, counts: { files: 1, bytes: 12 } });

    const del = okJson(await owner.run(['users', 'delete', 'gus@example.com', '--yes', '--json']));
    expect(del).toMatchObject({ queued: true, user: { status: 'deleted' } });
    expect(Math.abs(Date.parse(del.user.purgeAt) - Date.now() - 7 * 86_400_000)).toBeLessThan(120_000);
    const list = await owner.run(['users', 'list', '--status', 'deleted']);
    expect(list.stdout).toMatch(/\ngus\s+gus@example\.com\s+user\s+deleted, purged in 7 days\s/);
    failure(await owner.run(['users', 'delete', 'gus@example.com', '--yes']), 1, 'USER_ALREADY_DELETED');

    expect(okJson(await owner.run(['users', 'restore', 'gus@example.com', '--json'])).status).toBe('active');
    failure(await owner.run(['users', 'restore', 'gus@example.com']), 1, 'USER_NOT_DELETED');
  });

  it('--now --transfer-to purges within seconds and hands the files over', async () => {
    const del = okJson(await owner.run(['users', 'delete', 'gus@example.com', '--now', '--transfer-to', OWNER.email, '--yes', '--json']));
    expect(del.transferTo).toMatchObject({ email: OWNER.email });
    await purged('gus@example.com');
    const mine = okJson(await owner.run(['files', 'list', '--json']));
    expect(mine.items.map((f: { name: string }) => f.name)).toContain('gus.txt');
  });

  it('purge-now moves a scheduled purge to now', async () => {
    await create('hal@example.com');
    okJson(await owner.run(['users', 'delete', 'hal@example.com', '--yes', '--json']));
    expect((await owner.run(['users', 'purge-now', 'hal@example.com'])).code).toBe(2);
    okJson(await owner.run(['users', 'purge-now', 'hal@example.com', '--yes', '--json']));
    await purged('hal@example.com');
  });

  it.skipIf(!hasScript)('on a terminal shows the preview and deletes nothing unless confirmed', async () => {
    await create('ivy@example.com');
    const r = await runInTerminal(owner, ['users', 'delete', 'ivy@example.com'], [[/\[y\/N\] $/, 'n']]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Deleting ivy <ivy@example\.com>; the purge removes:\n\s+files\s+0 \(0 B\)\n/);
    expect(r.stdout).toContain('error ABORTED: not confirmed; nothing changed');
    const now = await runInTerminal(owner, ['users', 'delete', 'ivy@example.com', '--now'], [[/Type ivy@example\.com to confirm: $/, 'yes']]);
    expect(now.code).toBe(1);
    expect(okJson(await owner.run(['users', 'get', 'ivy@example.com', '--json'])).status).toBe('active');
  });
});
