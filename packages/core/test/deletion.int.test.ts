import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteUser, purgeJobId, updateSettings } from '@roster/core';
import { codeOf, deletionFixture, PASSWORD, type DeletionFixture } from '@roster/test/support/deletion';

let fx: DeletionFixture;
beforeAll(async () => {
  fx = await deletionFixture();
});
afterAll(() => fx?.close());

const DAY = 86_400_000;
const near = (iso: string | null, at: number, slackMs = 5_000) => Math.abs(new Date(iso!).getTime() - at) < slackMs;
const jobOf = (id: string) => fx.queue.getJob(purgeJobId(id));

describe('admin.users.delete', () => {
  it('schedules: marks the row, revokes every way in at once, audits, and queues a delayed job for purge_at', async () => {
    const u = await fx.makeUser();
    const before = await fx.footprint(u.id);
    expect(before).toMatchObject({ users: 1, sessions: 1, invitations: 2, resetTokens: 1 });
    const { user, queued } = await fx.api.as(fx.ownerJar).admin.users.delete({ id: u.id });
    expect(queued).toBe(true);
    expect(user).toMatchObject({ status: 'deleted', purgeStartedAt: null });
    expect(near(user.deletedAt, Date.now())).toBe(true);
    expect(near(user.purgeAt, Date.now() + 7 * DAY)).toBe(true);
    // Sessions gone, invitations and reset link revoked (their rows stay until the purge).
    expect(await codeOf(fx.api.as(u.jar).auth.me())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await fx.footprint(u.id)).toMatchObject({ users: 1, sessions: 0, invitations: 2, resetTokens: 1 });
    const [open] = await fx.sql<{ n: string }[]>(
      `select (select count(*) from invitations where invited_by_id = ? and revoked_at is null)
            + (select count(*) from password_reset_tokens where user_id = ? and used_at is null) as n`,
      [u.id, u.id],
    );
    expect(Number(open!.n)).toBe(0);
    expect(await codeOf(fx.api.as().auth.signIn({ email: u.email, password: PASSWORD }))).toMatchObject({ appCode: 'ACCOUNT_DELETED' });
    const audit = await fx.sql<{ actor_id: string; details: { revoked: object } }[]>(
      `select actor_id, details from audit_log where action = 'user.delete' and target_id = ?`,
      [u.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: fx.owner.id, details: { revoked: { sessions: 1, invitations: 2, resetTokens: 1 } } });
    const job = await jobOf(u.id);
    expect(await job!.getState()).toBe('delayed');
    expect(job!.data).toEqual({ userId: u.id });
    expect(Math.abs(job!.timestamp + job!.delay - new Date(user.purgeAt!).getTime())).toBeLessThan(1_000);
    // get shows it; list hides it unless asked.
    expect(await fx.api.as(fx.ownerJar).admin.users.get({ id: u.id })).toMatchObject({ status: 'deleted', purgeAt: user.purgeAt });
    const ids = async (statuses?: ('active' | 'deleted')[]) =>
      (await fx.api.as(fx.ownerJar).admin.users.list({ page: 1, pageSize: 100, statuses })).items.map((i) => i.id);
    expect(await ids()).not.toContain(u.id);
    expect(await ids(['deleted'])).toContain(u.id);
  });

  it('immediate: purge_at is now and the job is ready to run', async () => {
    const u = await fx.makeUser();
    const { user } = await fx.api.as(fx.ownerJar).admin.users.delete({ id: u.id, immediate: true });
    expect(near(user.purgeAt, Date.now())).toBe(true);
    expect(await (await jobOf(u.id))!.getState()).toBe('waiting');
  });

  it('a changed grace period applies to new deletions only; tests may give it in milliseconds', async () => {
    await updateSettings(fx.deps(), { userDeleteDelayDays: 1 });
    const a = await fx.makeUser();
    const first = await fx.api.as(fx.ownerJar).admin.users.delete({ id: a.id });
    await updateSettings(fx.deps(), { userDeleteDelayDays: 30 });
    const b = await fx.makeUser();
    const second = await fx.api.as(fx.ownerJar).admin.users.delete({ id: b.id });
    expect(near(first.user.purgeAt, Date.now() + DAY)).toBe(true);
    expect((await fx.api.as(fx.ownerJar).admin.users.get({ id: a.id })).purgeAt).toBe(first.user.purgeAt);
    expect(near(second.user.purgeAt, Date.now() + 30 * DAY)).toBe(true);
    const c = await fx.makeUser();
    const third = await deleteUser(fx.deps(), fx.owner, { id: c.id, delayMs: 3_000 });
    expect(near(third.user.purgeAt, Date.now() + 3_000, 1_000)).toBe(true);
    await updateSettings(fx.deps(), { userDeleteDelayDays: 7 });
  });

  it('protects the owner and the caller, refuses non-admins, unknown and already deleted users', async () => {
    const admin = await fx.makeUser({ role: 'admin' });
    const plain = await fx.makeUser();
    const as = (jar = fx.ownerJar) => fx.api.as(jar).admin.users;
    expect(await codeOf(as(admin.jar).delete({ id: fx.owner.id }))).toEqual({ code: 'FORBIDDEN', appCode: 'OWNER_PROTECTED' });
    expect(await codeOf(as().delete({ id: fx.owner.id }))).toEqual({ code: 'FORBIDDEN', appCode: 'SELF_ACTION' });
    expect(await codeOf(as(admin.jar).delete({ id: admin.id }))).toEqual({ code: 'FORBIDDEN', appCode: 'SELF_ACTION' });
    expect(await codeOf(as(plain.jar).delete({ id: admin.id }))).toEqual({ code: 'FORBIDDEN', appCode: 'FORBIDDEN' });
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(await codeOf(as().delete({ id: unknown }))).toEqual({ code: 'NOT_FOUND', appCode: 'USER_NOT_FOUND' });
    expect(await codeOf(as().delete({ id: 'not-a-uuid' }))).toMatchObject({ code: 'BAD_REQUEST' });
    await as(admin.jar).delete({ id: plain.id });
    expect(await codeOf(as().delete({ id: plain.id }))).toEqual({ code: 'CONFLICT', appCode: 'USER_ALREADY_DELETED' });
    expect(await fx.footprint(fx.owner.id)).toMatchObject({ users: 1 });
  });

  it('checks the transfer target at request time: another, existing, active user', async () => {
    const u = await fx.makeUser();
    const suspended = await fx.makeUser();
    await fx.api.as(fx.ownerJar).admin.users.suspend({ id: suspended.id, reason: 'test' });
    const gone = await fx.makeUser();
    await fx.api.as(fx.ownerJar).admin.users.delete({ id: gone.id });
    for (const target of [u.id, suspended.id, gone.id, '00000000-0000-4000-8000-000000000000']) {
      expect(await codeOf(fx.api.as(fx.ownerJar).admin.users.delete({ id: u.id, transferToUserId: target }))).toEqual({
        code: 'BAD_REQUEST',
        appCode: 'TRANSFER_TARGET_INVALID',
      });
    }
    expect(await fx.footprint(u.id)).toMatchObject({ users: 1, sessions: 1 });
    const heir = await fx.makeUser();
    const { user } = await fx.api.as(fx.ownerJar).admin.users.delete({ id: u.id, transferToUserId: heir.id });
    expect(user.status).toBe('deleted');
    const preview = await fx.api.as(fx.ownerJar).admin.users.deletionPreview({ id: u.id });
    expect(preview.transferTo).toEqual({ id: heir.id, name: heir.name, avatarUrl: null });
  });
});

describe('admin.users.restore / purgeNow / deletionPreview', () => {
  it('restore before the purge: active again, job removed, the user signs in again; sessions stay revoked', async () => {
    const u = await fx.makeUser();
    await fx.api.as(fx.ownerJar).admin.users.delete({ id: u.id });
    expect(await jobOf(u.id)).toBeTruthy();
    const restored = await fx.api.as(fx.ownerJar).admin.users.restore({ id: u.id });
    expect(restored).toMatchObject({ status: 'active', deletedAt: null, purgeAt: null });
    expect(await jobOf(u.id)).toBeUndefined();
    expect(await codeOf(fx.api.as(u.jar).auth.me())).toMatchObject({ code: 'UNAUTHORIZED' });
    await fx.api.as().auth.signIn({ email: u.email, password: PASSWORD });
    expect(await fx.footprint(u.id)).toMatchObject({ users: 1, invitations: 2, resetTokens: 1 });
    const audit = await fx.sql(`select 1 from audit_log where action = 'user.restore' and target_id = ?`, [u.id]);
    expect(audit).toHaveLength(1);
  });

  it('restore refuses users that are not deleted, unknown ids, and purges already begun', async () => {
    const u = await fx.makeUser();
    const users = fx.api.as(fx.ownerJar).admin.users;
    expect(await codeOf(users.restore({ id: u.id }))).toEqual({ code: 'CONFLICT', appCode: 'USER_NOT_DELETED' });
    expect(await codeOf(users.restore({ id: '00000000-0000-4000-8000-000000000000' }))).toEqual({
      code: 'NOT_FOUND',
      appCode: 'USER_NOT_FOUND',
    });
    await users.delete({ id: u.id, immediate: true });
    await fx.sql(`update users set purge_started_at = now() where id = ?`, [u.id]);
    expect(await codeOf(users.restore({ id: u.id }))).toEqual({ code: 'CONFLICT', appCode: 'PURGE_IN_PROGRESS' });
    expect((await users.get({ id: u.id })).purgeStartedAt).not.toBeNull();
  });

  it('purgeNow moves a scheduled purge to now; refuses users that are not deleted', async () => {
    const u = await fx.makeUser();
    const users = fx.api.as(fx.ownerJar).admin.users;
    expect(await codeOf(users.purgeNow({ id: u.id }))).toEqual({ code: 'CONFLICT', appCode: 'USER_NOT_DELETED' });
    await users.delete({ id: u.id });
    expect(await (await jobOf(u.id))!.getState()).toBe('delayed');
    const { user, queued } = await users.purgeNow({ id: u.id });
    expect(queued).toBe(true);
    expect(near(user.purgeAt, Date.now())).toBe(true);
    expect(await (await jobOf(u.id))!.getState()).toBe('waiting');
  });

  it('deletionPreview counts what a purge would remove, with purge_at and the grace period', async () => {
    const u = await fx.makeUser();
    const users = fx.api.as(fx.ownerJar).admin.users;
    const before = await users.deletionPreview({ id: u.id });
    expect(before).toMatchObject({ id: u.id, status: 'active', delayDays: 7, purgeStartedAt: null, transferTo: null });
    expect(before.counts).toEqual({ files: 0, bytes: 0, apiKeys: 0, groupMemberships: 0, sessions: 1, invitations: 2, resetTokens: 1 });
    expect(near(before.purgeAt, Date.now() + 7 * DAY)).toBe(true);
    const { user } = await users.delete({ id: u.id });
    const after = await users.deletionPreview({ id: u.id });
    expect(after).toMatchObject({ status: 'deleted', purgeAt: user.purgeAt });
    expect(after.counts).toEqual({ files: 0, bytes: 0, apiKeys: 0, groupMemberships: 0, sessions: 0, invitations: 2, resetTokens: 1 });
    expect(await codeOf(users.deletionPreview({ id: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({
      appCode: 'USER_NOT_FOUND',
    });
  });
});
