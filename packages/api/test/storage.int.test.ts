import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { absolutePath, uploadFile, type Actor, type CoreDeps } from '@roster/core';
import { User, type EntityManager } from '@roster/db';
import { createQueue, redisConnection, type JobDeps } from '@roster/jobs';
import { storageMigrate } from '@roster/jobs/definitions/storage-migrate';
import { storageRecalculateUsage } from '@roster/jobs/definitions/storage-recalculate-usage';
import { storageSweepOrphans } from '@roster/jobs/definitions/storage-sweep-orphans';
import { createTestApi, TestJar, withOwner, type TestApi } from '@roster/test/support/api';

let api: TestApi;
let owner: TestJar;
let queue: ReturnType<typeof createQueue>;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
  queue = createQueue(redisConnection(inject('redisUrl'), 'worker'));
});
afterAll(async () => {
  await queue.close();
  await api.close();
});

const em = () => api.services.orm.em.fork() as EntityManager;
const deps = (): CoreDeps => ({ em: em(), clock: api.services.clock, sessions: api.services.sessions, jobs: api.services.jobs, dataDir: api.services.dataDir });
const jobDeps = (): JobDeps => ({ em: em(), orm: api.services.orm, clock: api.services.clock, dataDir: api.services.dataDir, log: () => {}, queue });
const body = (n: number) => (async function* () { yield Buffer.alloc(n, 0x62); })();

async function signedInUser(label?: string, quotaGiB?: number) {
  const email = `u${Math.random().toString(36).slice(2)}@example.com`;
  const { user } = await api.as(owner).admin.users.create({
    email, name: 'Ursula', password: 'correct horse battery', mustChangePassword: false, storageLabel: label ?? null, quotaGiB,
  });
  const jar = new TestJar();
  await api.as(jar).auth.signIn({ email, password: 'correct horse battery' });
  const u = await em().findOneOrFail(User, user.id);
  const actor: Actor = { id: u.id, email: u.email, name: u.name, role: u.role, status: u.status, mustChangePassword: false };
  return { jar, actor, id: user.id };
}

async function failure(p: Promise<unknown>) {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(TRPCError);
  return { code: (err as TRPCError).code, appCode: ((err as TRPCError).cause as { code?: string } | undefined)?.code };
}

describe('files router', () => {
  it('lists, gets, reports usage and deletes own files; admins see anyone’s; others get nothing', async () => {
    const a = await signedInUser(undefined, 0.5);
    const b = await signedInUser();
    const f = await uploadFile(deps(), a.actor, { name: 'notes.txt', size: 10, mimeType: 'text/plain; charset=utf-8', body: body(10) });
    expect(f.mimeType).toBe('text/plain');
    expect((await api.as(a.jar).files.list()).items.map((x) => x.id)).toEqual([f.id]);
    expect(await api.as(a.jar).files.get({ id: f.id })).toMatchObject({ name: 'notes.txt', size: 10 });
    expect(await api.as(a.jar).files.usage()).toEqual({ userId: a.id, files: 1, usageBytes: 10, quotaBytes: 512 * 1024 ** 2, usagePercent: 0 });
    expect(await failure(api.as(b.jar).files.get({ id: f.id }))).toEqual({ code: 'NOT_FOUND', appCode: 'NOT_FOUND' });
    expect(await failure(api.as(b.jar).files.list({ page: 1, pageSize: 10, userId: a.id }))).toEqual({ code: 'FORBIDDEN', appCode: 'FORBIDDEN' });
    expect((await api.as(owner).files.list({ page: 1, pageSize: 10, userId: a.id })).total).toBe(1);
    expect(await failure(api.as(a.jar).files.get({ id: '../../etc/passwd' }))).toMatchObject({ code: 'BAD_REQUEST', appCode: undefined });
    expect(await failure(api.as().files.list())).toEqual({ code: 'UNAUTHORIZED', appCode: 'UNAUTHENTICATED' });
    expect(await api.as(a.jar).files.delete({ id: f.id })).toEqual({ id: f.id, freedBytes: 10, usageBytes: 0 });
    expect(fs.existsSync(absolutePath(api.services.dataDir, f.path))).toBe(false);
  });
});

describe('admin stats and notifications', () => {
  it('gives admins per-user usage and quota warnings; refuses regular users', async () => {
    const a = await signedInUser(undefined, 1);
    await em().execute(`update users set quota_bytes = 100 where id = ?`, [a.id]);
    await uploadFile(deps(), a.actor, { name: 'x', size: 95, body: body(95) });
    const stats = await api.as(owner).admin.stats.get();
    expect(stats.users.find((u) => u.id === a.id)).toMatchObject({ files: 1, usageBytes: 95, quotaBytes: 100, usagePercent: 95 });
    expect(stats.totals.files).toBeGreaterThanOrEqual(1);
    expect(await failure(api.as(a.jar).admin.stats.get())).toEqual({ code: 'FORBIDDEN', appCode: 'FORBIDDEN' });
    const mine = await api.as(a.jar).notifications.list();
    expect(mine.items.map((n) => n.data.percent)).toEqual([90]);
    expect(mine.unread).toBe(1);
    const all = await api.as(owner).admin.notifications.list({ page: 1, pageSize: 10, kind: 'storage.quota' });
    expect(all.items.some((n) => n.user.id === a.id)).toBe(true);
    expect(await failure(api.as(a.jar).admin.notifications.list())).toEqual({ code: 'FORBIDDEN', appCode: 'FORBIDDEN' });
    expect(await api.as(a.jar).notifications.markRead({ ids: [mine.items[0]!.id] })).toEqual({ updated: 1 });
    expect((await api.as(a.jar).notifications.list({ page: 1, pageSize: 10, unreadOnly: true })).total).toBe(0);
  });
});

describe('storage labels and jobs', () => {
  it('enqueues storage.migrate for the user on a label change; the job moves their files', async () => {
    const a = await signedInUser();
    const f = await uploadFile(deps(), a.actor, { name: 'photo.jpg', size: 4, body: body(4) });
    expect(f.path.startsWith(`upload/${a.id}/`)).toBe(true);
    await api.as(owner).admin.users.update({ id: a.id, storageLabel: 'Ursula' });
    const job = await queue.getJob(`storage.migrate.${a.id}`);
    expect(job?.name).toBe('storage.migrate');
    expect(job?.data).toEqual({ userId: a.id });
    const report = await storageMigrate.process(jobDeps(), storageMigrate.payload.parse(job!.data), { attemptsMade: 0 });
    expect(report).toEqual({ moved: 1, missing: 0 });
    const moved = await api.as(a.jar).files.get({ id: f.id });
    expect(moved.path).toBe(f.path.replace(`upload/${a.id}/`, 'upload/ursula/'));
    expect(fs.readFileSync(absolutePath(api.services.dataDir, moved.path)).length).toBe(4);
    expect(fs.existsSync(absolutePath(api.services.dataDir, f.path))).toBe(false);
  });

  it('runs storage-migration and recalculate-usage for everyone and lists counts per job name', async () => {
    expect(await api.as(owner).admin.jobs.run({ name: 'storage-migration' })).toEqual({
      name: 'storage-migration', job: 'storage.migrate', jobId: 'storage.migrate.all',
    });
    await api.as(owner).admin.jobs.run({ name: 'recalculate-usage' });
    expect((await queue.getJob('storage.recalculateUsage.all'))?.name).toBe('storage.recalculateUsage');
    const { jobs } = await api.as(owner).admin.jobs.list();
    const names = jobs.map((j) => j.name);
    expect(names).toEqual(expect.arrayContaining(['storage.migrate', 'storage.recalculateUsage']));
    const migrate = jobs.find((j) => j.name === 'storage.migrate')!;
    expect(Object.keys(migrate).sort()).toEqual(['active', 'completed', 'delayed', 'failed', 'name', 'waiting']);
    expect(migrate.waiting + migrate.active + migrate.completed + migrate.failed + migrate.delayed).toBeGreaterThanOrEqual(1);
    expect(await failure(api.as(owner).admin.jobs.run({ name: 'rm -rf' as never }))).toMatchObject({ code: 'BAD_REQUEST' });
    await em().execute(`update users set usage_bytes = usage_bytes + 7 where role = 'owner'`);
    const report = (await storageRecalculateUsage.process(jobDeps(), {}, { attemptsMade: 0 })) as { drifted: number };
    expect(report.drifted).toBe(1);
  });

  it('lists storage.sweepOrphans, runs it as sweep-orphans, and the job removes what no row references', async () => {
    const { jobs: before } = await api.as(owner).admin.jobs.list();
    expect(before.map((j) => j.name)).toContain('storage.sweepOrphans');
    expect(await api.as(owner).admin.jobs.run({ name: 'sweep-orphans' })).toEqual({
      name: 'sweep-orphans', job: 'storage.sweepOrphans', jobId: 'storage.sweepOrphans.all',
    });
    expect((await queue.getJob('storage.sweepOrphans.all'))?.name).toBe('storage.sweepOrphans');
    const { jobs } = await api.as(owner).admin.jobs.list();
    expect(jobs.find((j) => j.name === 'storage.sweepOrphans')!.waiting).toBeGreaterThanOrEqual(1);
    const [audit] = await em().execute(`select details from audit_log where action = 'jobs.run' order by at desc limit 1`);
    expect(audit.details).toEqual({ name: 'sweep-orphans', job: 'storage.sweepOrphans' });
    const a = await signedInUser();
    expect(await failure(api.as(a.jar).admin.jobs.run({ name: 'sweep-orphans' }))).toEqual({ code: 'FORBIDDEN', appCode: 'FORBIDDEN' });

    const kept = await uploadFile(deps(), a.actor, { name: 'kept.txt', size: 3, body: body(3) });
    const orphan = `upload/${a.id}/2025/01/${randomUUID()}-orphan.bin`;
    fs.mkdirSync(path.dirname(path.join(api.services.dataDir, orphan)), { recursive: true });
    fs.writeFileSync(path.join(api.services.dataDir, orphan), Buffer.alloc(33));
    // Ninety minutes on, the orphan is past the hour of grace.
    const later = { now: () => new Date(Date.now() + 90 * 60_000) };
    const report = (await storageSweepOrphans.process({ ...jobDeps(), clock: later }, {}, { attemptsMade: 0 })) as { removed: string[]; bytesFreed: number };
    expect(report.removed).toContain(orphan);
    expect(report.bytesFreed).toBeGreaterThanOrEqual(33);
    expect(fs.existsSync(path.join(api.services.dataDir, orphan))).toBe(false);
    expect(fs.existsSync(absolutePath(api.services.dataDir, kept.path))).toBe(true);
  });
});
