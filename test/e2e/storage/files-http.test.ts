import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type RunningApp } from '../../support/server.ts';
import { startOwnRedis, waitUntil } from '../../support/worker.ts';
import type { RedisServer } from '@roster/jobs/redis-server';
import { AppClient } from './http-client.ts';

vi.setConfig({ testTimeout: 60_000 });

let app: RunningApp;
let redis: RedisServer;
let owner: AppClient;
const MiB = 1024 * 1024;

beforeAll(async () => {
  // Its own Redis: this app runs a worker, which must not take other test files' jobs.
  redis = await startOwnRedis();
  app = await startApp({ worker: true, env: { REDIS_URL: redis.url } });
  owner = new AppClient(app.baseUrl);
  await owner.call('setup.createOwner', { email: 'owner@example.com', name: 'Olga', password: 'correct horse battery' });
});
afterAll(async () => {
  await app?.stop();
  await redis?.stop();
});

let n = 0;
async function userClient(opts: { quotaGiB?: number; label?: string } = {}) {
  const email = `u${++n}@example.com`;
  const { user } = await owner.call('admin.users.create', {
    email, name: `User ${n}`, password: 'correct horse battery', mustChangePassword: false, quotaGiB: opts.quotaGiB, storageLabel: opts.label,
  });
  const c = new AppClient(app.baseUrl);
  await c.call('auth.signIn', { email, password: 'correct horse battery' });
  return { c, id: user.id as string };
}
const tmpLeft = () => (fs.existsSync(path.join(app.dataDir, 'tmp/uploads')) ? fs.readdirSync(path.join(app.dataDir, 'tmp/uploads')) : []);
const errorOf = async (res: Response) => ((await res.json()) as { error: { appCode?: string; message: string } }).error;

describe('POST /api/files and GET /api/files/:id', () => {
  it('answers 401 JSON without a session', async () => {
    const anon = new AppClient(app.baseUrl);
    const up = await anon.upload(Buffer.from('x'), { name: 'x.txt', auth: 'none' });
    expect(up.status).toBe(401);
    expect(await errorOf(up)).toMatchObject({ appCode: 'UNAUTHENTICATED' });
    const down = await anon.download('00000000-0000-4000-8000-000000000000');
    expect(down.status).toBe(401);
  });

  it('uploads with a cookie or a Bearer token and streams the exact bytes back', async () => {
    const { c, id } = await userClient();
    const data = Buffer.from(Array.from({ length: 300_000 }, (_, i) => i % 251));
    const res = await c.upload(data, { name: 'Fotó 1.jpg', headers: { 'content-type': 'image/jpeg' } });
    expect(res.status).toBe(201);
    const { file } = (await res.json()) as { file: { id: string; path: string; sha1: string; size: number; name: string; ownerId: string } };
    expect(file).toMatchObject({ name: 'Fotó 1.jpg', size: data.length, ownerId: id, sha1: createHash('sha1').update(data).digest('hex') });
    expect(file.path).toMatch(new RegExp(`^upload/${id}/\\d{4}/\\d{2}/${file.id}-Foto_1\\.jpg$`));
    const down = await c.download(file.id);
    expect(down.status).toBe(200);
    expect(down.headers.get('content-type')).toBe('image/jpeg');
    expect(down.headers.get('content-disposition')).toBe(`attachment; filename="Fot_ 1.jpg"; filename*=UTF-8''Fot%C3%B3%201.jpg`);
    expect(down.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await down.arrayBuffer()).equals(data)).toBe(true);
    const bearer = await c.upload(Buffer.from('via bearer'), { query: { name: 'b.txt' }, auth: 'bearer' });
    expect(bearer.status).toBe(201);
    const other = await userClient();
    expect((await other.c.download(file.id)).status).toBe(404);
    expect((await owner.download(file.id)).status).toBe(200);
  });

  it('accepts a chunked body (no Content-Length)', async () => {
    const { c } = await userClient();
    const stream = new ReadableStream<Uint8Array>({
      start(ctl) {
        for (let i = 0; i < 5; i++) ctl.enqueue(new Uint8Array(100_000).fill(i));
        ctl.close();
      },
    });
    const res = await c.upload(stream, { name: 'chunked.bin' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { file: { size: number } }).file.size).toBe(500_000);
  });

  it('refuses path tricks and bad parameters with 400 VALIDATION, and uploads as others only for admins', async () => {
    const { c, id } = await userClient();
    for (const name of ['../../etc/passwd', '/etc/passwd', 'a\\..\\b', '..', 'a\0b', '\uff0e\uff0e\uff0fx']) {
      const res = await c.upload(Buffer.from('x'), { name });
      expect(res.status, name).toBe(400);
      expect((await errorOf(res)).appCode).toBe('VALIDATION');
    }
    expect((await c.upload(Buffer.from('x'), { query: { name: '../x' } })).status).toBe(400);
    expect((await c.upload(Buffer.from('x'), { headers: { 'x-file-name': '%E0%A4%A' } })).status).toBe(400);
    expect((await c.upload(Buffer.from('x'), { name: 'x', query: { as: 'not-a-uuid' } })).status).toBe(400);
    expect((await c.download('../../etc/passwd')).status).toBe(404);
    const other = await userClient();
    const forbidden = await c.upload(Buffer.from('x'), { name: 'x', query: { as: other.id } });
    expect(forbidden.status).toBe(403);
    const asAdmin = await owner.upload(Buffer.from('hello'), { name: 'for-you.txt', query: { as: id } });
    expect(asAdmin.status).toBe(201);
    expect(((await asAdmin.json()) as { file: { ownerId: string } }).file.ownerId).toBe(id);
    expect(tmpLeft()).toEqual([]);
  });
});

describe('quota over HTTP', () => {
  it('takes an upload exactly to the quota, refuses one byte more with 413, and leaves nothing behind', async () => {
    const { c } = await userClient({ quotaGiB: 1 / 1024 }); // exactly 1 MiB
    expect((await c.upload(Buffer.alloc(MiB - 10), { name: 'big.bin' })).status).toBe(201);
    const over = await c.upload(Buffer.alloc(11), { name: 'over.bin' });
    expect(over.status).toBe(413);
    expect(await errorOf(over)).toMatchObject({ appCode: 'QUOTA_EXCEEDED' });
    expect((await c.upload(Buffer.alloc(10), { name: 'exact.bin' })).status).toBe(201);
    const usage = await c.query('files.usage');
    expect(usage).toMatchObject({ files: 2, usageBytes: MiB, quotaBytes: MiB, usagePercent: 100 });
    expect(tmpLeft()).toEqual([]);
    // Refused from Content-Length before the body is read; the client still gets the 413.
    const huge = await c.upload(Buffer.alloc(8 * MiB), { name: 'huge.bin' });
    expect(huge.status).toBe(413);
    expect((await errorOf(huge)).message).toMatch(/quota/);
    const notes = await c.query('notifications.list');
    expect(notes.items.map((x: { data: { percent: number } }) => x.data.percent)).toEqual([100, 90]);
  });

  it('never overshoots with 20 parallel uploads against a nearly full quota', async () => {
    const { c } = await userClient({ quotaGiB: 1 / 1024 });
    expect((await c.upload(Buffer.alloc(MiB - 10_000), { name: 'fill.bin' })).status).toBe(201);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => c.upload(Buffer.alloc(1_000, i), { name: `p${i}.bin` })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 413)).toHaveLength(10);
    const usage = await c.query('files.usage');
    expect(usage).toMatchObject({ files: 11, usageBytes: MiB });
    const list = await c.query('files.list', { page: 1, pageSize: 100 });
    expect(list.items.reduce((s: number, f: { size: number }) => s + f.size, 0)).toBe(MiB);
    expect(tmpLeft()).toEqual([]);
  });

  it('delete gives the bytes back', async () => {
    const { c } = await userClient({ quotaGiB: 1 / 1024 });
    const { file } = (await (await c.upload(Buffer.alloc(MiB), { name: 'all.bin' })).json()) as { file: { id: string; path: string } };
    expect((await c.upload(Buffer.alloc(1), { name: 'no.bin' })).status).toBe(413);
    expect(await c.call('files.delete', { id: file.id })).toMatchObject({ freedBytes: MiB, usageBytes: 0 });
    expect(fs.existsSync(path.join(app.dataDir, file.path))).toBe(false);
    expect((await c.upload(Buffer.alloc(1), { name: 'yes.bin' })).status).toBe(201);
  });
});

describe('storage label change with the worker running', () => {
  it('moves existing files into upload/{label}/ and new uploads go there', async () => {
    const { c, id } = await userClient();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(((await (await c.upload(Buffer.from(`file ${i}`), { name: `f${i}.txt` })).json()) as { file: { id: string } }).file.id);
    await owner.call('admin.users.update', { id, storageLabel: 'Ines' });
    await waitUntil(async () => {
      const list = await c.query('files.list', { page: 1, pageSize: 10 });
      return list.items.every((f: { path: string }) => f.path.startsWith('upload/ines/'));
    }, 30_000, 'the storage.migrate job to move the files');
    const list = await c.query('files.list', { page: 1, pageSize: 10 });
    for (const f of list.items) expect(fs.readFileSync(path.join(app.dataDir, f.path), 'utf8')).toMatch(/^file \d$/);
    expect(fs.existsSync(path.join(app.dataDir, 'upload', id))).toBe(false);
    const next = (await (await c.upload(Buffer.from('new'), { name: 'n.txt' })).json()) as { file: { path: string } };
    expect(next.file.path.startsWith('upload/ines/')).toBe(true);
    const jobs = await owner.query('admin.jobs.list');
    const migrate = jobs.jobs.find((j: { name: string }) => j.name === 'storage.migrate');
    expect(migrate.completed).toBeGreaterThanOrEqual(1);
    const stats = await owner.query('admin.stats.get');
    expect(stats.users.find((u: { id: string }) => u.id === id)).toMatchObject({ files: 4 });
  });
});
