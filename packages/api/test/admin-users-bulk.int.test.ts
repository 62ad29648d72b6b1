/** Actions on a selection: the preview's refusals, the job running each user through the single action, its results and audit rows. */
import { randomUUID } from 'node:crypto';
import { startWorker, type RunningWorker } from '@roster/jobs';
import { systemClock } from '@roster/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, TestJar, withOwner, type TestApi } from '@roster/test/support/api';
import { startOwnRedis, waitUntil } from '@roster/test/support/worker';
import { db, makeUser, rejection, sessionCount } from './admin-users.support.ts';

let api: TestApi;
let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let worker: RunningWorker;
let owner: TestJar;
let ownerId: string;
let admin: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  redis = await startOwnRedis();
  api = await createTestApi({ redisUrl: redis.url });
  owner = await withOwner(api);
  ownerId = (await api.as(owner).me.get()).id;
  admin = await makeUser(api, owner, { email: 'bulk-admin@example.com', role: 'admin' });
  worker = await startWorker({ redisUrl: redis.url, orm: api.services.orm, clock: systemClock, dataDir: api.services.dataDir, log: () => {} });
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
  await redis?.stop();
});

let seq = 0;
const users = (n: number, opts: { role?: 'admin' | 'user' | 'pending'; tag?: string } = {}) =>
  Promise.all(Array.from({ length: n }, () => makeUser(api, owner, { email: `${opts.tag ?? 'bulk'}-${++seq}@example.com`, role: opts.role })));

const rows = (ids: string[]) =>
  db(api).execute<{ id: string; role: string; status: string; quota_bytes: string | null; suspended_reason: string | null }[]>(
    `select id, role, status, quota_bytes, suspended_reason from users where id in (select value::uuid from jsonb_array_elements_text(?::jsonb)) order by email`,
    [JSON.stringify(ids)],
  );
const auditCount = (action: string, ids: string[]) =>
  db(api)
    .execute<{ n: number }[]>(`select count(*)::int as n from audit_log where action = ? and target_id in (select value::uuid from jsonb_array_elements_text(?::jsonb))`, [
      action,
      JSON.stringify(ids),
    ])
    .then((r) => r[0]!.n);

async function finished(jar: TestJar, jobId: string) {
  let status!: Awaited<ReturnType<ReturnType<TestApi['as']>['admin']['jobs']['get']>>;
  await waitUntil(async () => ['completed', 'failed'].includes((status = await api.as(jar).admin.jobs.get({ id: jobId })).state), 30_000, `job ${jobId}`);
  return status;
}

describe('admin.users.bulkPreview', () => {
  it('counts the users and lists the refused ones with the rule that refuses each: the owner, yourself, admins (for an admin), unknown ids', async () => {
    const [a, b] = await users(2);
    const unknown = randomUUID();
    const ids = [a!.id, b!.id, ownerId, admin.id, unknown];
    const other = await makeUser(api, owner, { email: `bulk-other-admin-${++seq}@example.com`, role: 'admin' });
    const preview = await api.as(admin.jar).admin.users.bulkPreview({ ids: [...ids, other.id], action: 'suspend', args: { reason: 'r' } });
    expect(preview).toMatchObject({ total: 6, allowed: 2, refusedCount: 4 });
    const codes = Object.fromEntries(preview.refused.map((r) => [r.id, r.code]));
    expect(codes).toEqual({ [ownerId]: 'OWNER_PROTECTED', [admin.id]: 'SELF_ACTION', [other.id]: 'ADMIN_PROTECTED', [unknown]: 'USER_NOT_FOUND' });
    expect(preview.refused.find((r) => r.id === ownerId)).toMatchObject({ email: 'owner@example.com', message: 'The owner account is protected' });
    // The owner previewing: only themselves refused (SELF_ACTION), admins allowed.
    const asOwner = await api.as(owner).admin.users.bulkPreview({ ids: [ownerId, admin.id, a!.id], action: 'suspend', args: { reason: 'r' } });
    expect(asOwner).toMatchObject({ total: 3, allowed: 2, refused: [{ id: ownerId, code: 'SELF_ACTION' }] });
  });

  it('applies each action’s own rules: approve only pending, unsuspend only suspended, restore only deleted, roles only as granted', async () => {
    const [p] = await users(1, { role: 'pending' });
    const [u] = await users(1);
    const approve = await api.as(admin.jar).admin.users.bulkPreview({ ids: [p!.id, u!.id], action: 'approve' });
    expect(approve).toMatchObject({ allowed: 1, refused: [{ id: u!.id, code: 'NOT_PENDING' }] });
    const unsuspend = await api.as(admin.jar).admin.users.bulkPreview({ ids: [u!.id], action: 'unsuspend' });
    expect(unsuspend.refused).toMatchObject([{ code: 'NOT_SUSPENDED' }]);
    const restore = await api.as(admin.jar).admin.users.bulkPreview({ ids: [u!.id], action: 'restore' });
    expect(restore.refused).toMatchObject([{ code: 'USER_NOT_DELETED' }]);
    // adminsCanCreateAdmins is off: only the owner makes admins.
    const promote = await api.as(admin.jar).admin.users.bulkPreview({ ids: [u!.id], action: 'setRole', args: { role: 'admin' } });
    expect(promote.refused).toMatchObject([{ code: 'FORBIDDEN', message: 'Only the owner can grant or remove the admin role' }]);
    const ownerRole = await api.as(owner).admin.users.bulkPreview({ ids: [ownerId], action: 'setRole', args: { role: 'user' } });
    expect(ownerRole.refused).toMatchObject([{ code: 'OWNER_PROTECTED' }]);
    expect(await api.as(owner).admin.users.bulkPreview({ ids: [u!.id], action: 'setRole', args: { role: 'admin' } })).toMatchObject({ allowed: 1 });
  });

  it('takes a filter: the users the list shows for it', async () => {
    await users(3, { tag: 'filtered-zeta' });
    const preview = await api.as(owner).admin.users.bulkPreview({ filter: { query: 'filtered-zeta' }, action: 'revokeSessions' });
    expect(preview).toMatchObject({ total: 3, allowed: 3, refusedCount: 0 });
  });

  it('refuses bad input as VALIDATION: both or neither of ids and filter, a suspension without a reason, too many ids', async () => {
    expect(await rejection(api.as(owner).admin.users.bulkPreview({ action: 'revokeSessions' } as never))).toMatchObject({ appCode: 'VALIDATION' });
    expect(await rejection(api.as(owner).admin.users.bulkPreview({ ids: [ownerId], action: 'suspend' }))).toMatchObject({
      appCode: 'VALIDATION',
      fields: { 'args.reason': ['Give a reason'] },
    });
    const many = Array.from({ length: 100_001 }, () => randomUUID());
    expect(await rejection(api.as(owner).admin.users.bulkPreview({ ids: many, action: 'revokeSessions' }))).toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('admin.users.bulk', () => {
  it('suspends the others and never touches the owner: job progress, per-user results, one audit row per user', async () => {
    const targets = await users(5);
    const ids = targets.map((t) => t.id);
    const { jobId, allowed } = await api.as(admin.jar).admin.users.bulk({ ids: [...ids, ownerId], action: 'suspend', args: { reason: 'bulk test' } });
    expect(allowed).toBe(5);
    const status = await finished(admin.jar, jobId);
    expect(status).toMatchObject({ state: 'completed', progress: { done: 6, total: 6 }, summary: { total: 6, done: 5, skipped: 1, failed: 0 } });
    expect(status.results.find((r) => r.id === ownerId)).toMatchObject({ outcome: 'skipped', code: 'OWNER_PROTECTED' });
    expect((await rows(ids)).every((r) => r.status === 'suspended' && r.suspended_reason === 'bulk test')).toBe(true);
    expect((await rows([ownerId]))[0]).toMatchObject({ status: 'active', role: 'owner' });
    for (const t of targets) expect(await sessionCount(api, t.id)).toBe(0);
    expect(await auditCount('user.suspend', ids)).toBe(5);
    expect(await auditCount('user.suspend', [ownerId])).toBe(0);
    const [request] = await db(api).execute<{ actor_id: string; details: { jobId: string; allowed: number } }[]>(
      `select actor_id, details from audit_log where action = 'user.bulk' and details->>'jobId' = ?`,
      [jobId],
    );
    expect(request).toMatchObject({ actor_id: admin.id, details: { jobId, allowed: 5 } });
  });

  it('runs every action through its use case: approve, setRole, setQuota, unsuspend, revokeSessions, delete, restore', async () => {
    const run = async (ids: string[], action: string, args = {}) => finished(owner, (await api.as(owner).admin.users.bulk({ ids, action: action as never, args })).jobId);
    const pending = await users(2, { role: 'pending' });
    const p = pending.map((u) => u.id);
    expect((await run(p, 'approve')).summary).toMatchObject({ done: 2 });
    expect((await rows(p)).map((r) => r.role)).toEqual(['user', 'user']);
    expect(await auditCount('user.update', p)).toBeGreaterThanOrEqual(2);

    expect((await run(p, 'setQuota', { quotaGiB: 2 })).summary).toMatchObject({ done: 2 });
    expect((await rows(p)).map((r) => Number(r.quota_bytes))).toEqual([2 * 1024 ** 3, 2 * 1024 ** 3]);
    expect((await run(p, 'setRole', { role: 'admin' })).summary).toMatchObject({ done: 2 });
    expect((await rows(p)).map((r) => r.role)).toEqual(['admin', 'admin']);

    expect((await run(p, 'revokeSessions')).summary).toMatchObject({ done: 2 });
    expect(await sessionCount(api, p[0]!)).toBe(0);
    expect(await auditCount('user.revokeSessions', p)).toBe(2);

    expect((await run(p, 'suspend', { reason: 'x' })).summary).toMatchObject({ done: 2 });
    expect((await run(p, 'unsuspend')).summary).toMatchObject({ done: 2 });
    expect((await rows(p)).map((r) => r.status)).toEqual(['active', 'active']);

    expect((await run(p, 'delete')).summary).toMatchObject({ done: 2 });
    expect((await rows(p)).map((r) => r.status)).toEqual(['deleted', 'deleted']);
    expect(await auditCount('user.delete', p)).toBe(2);
    expect((await run(p, 'restore')).summary).toMatchObject({ done: 2 });
    expect((await rows(p)).map((r) => r.status)).toEqual(['active', 'active']);
    expect(await auditCount('user.restore', p)).toBe(2);
  });

  it('re-checks each user when the job runs: an admin no longer allowed acts on nobody', async () => {
    const [t] = await users(1);
    const demoted = await makeUser(api, owner, { email: `bulk-demoted-${++seq}@example.com`, role: 'admin' });
    // The queue, not the worker: a paused worker may still take a job its blocking fetch already had.
    await worker.queue.pause();
    const { jobId } = await api.as(demoted.jar).admin.users.bulk({ ids: [t!.id], action: 'suspend', args: { reason: 'late' } });
    await api.as(owner).admin.users.update({ id: demoted.id, role: 'user' });
    await worker.queue.resume();
    const status = await finished(owner, jobId);
    expect(status.state).toBe('failed');
    expect(status.failedReason).toBe('You are not allowed to do that');
    expect((await rows([t!.id]))[0]!.status).toBe('active');
  });

  it('admin.jobs.get answers NOT_FOUND for an unknown job', async () => {
    expect(await rejection(api.as(owner).admin.jobs.get({ id: 'users.bulk.nope' }))).toMatchObject({ code: 'NOT_FOUND' });
  });
});
