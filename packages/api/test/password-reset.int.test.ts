import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, OWNER, TestJar, withOwner, type TestApi } from '@roster/test/support/api';
import { db, makeUser, rejection, sessionCount } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
let ownerId: string;
let admin: TestJar;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
  ownerId = (await api.as(owner).me.get()).id;
  admin = (await makeUser(api, owner, { email: 'adele@example.com', role: 'admin' })).jar;
});
afterAll(() => api.close());

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('admin.users.passwordResetLink', () => {
  it('returns a one-time link valid 24 h, stored only as its hash', async () => {
    const rita = await makeUser(api, owner, { email: 'rita@example.com' });
    const before = Date.now();
    const link = await api.as(owner).admin.users.passwordResetLink({ id: rita.id });
    expect(Object.keys(link).sort()).toEqual(['expiresAt', 'path', 'token']);
    expect(link.path).toBe(`/reset/${link.token}`);
    expect(Date.parse(link.expiresAt) - before).toBeGreaterThanOrEqual(24 * 3_600_000 - 1000);
    expect(Date.parse(link.expiresAt) - before).toBeLessThan(24 * 3_600_000 + 60_000);
    const rows = await db(api).execute(`select token_hash, used_at from password_reset_tokens where user_id = ?`, [rita.id]);
    expect(rows).toEqual([{ token_hash: sha256(link.token), used_at: null }]);
    const leaks = await db(api).execute(`select 1 from password_reset_tokens t where row_to_json(t)::text like ?`, [`%${link.token}%`]);
    expect(leaks).toEqual([]);
    const [audit] = await db(api).execute(`select actor_id, target_id from audit_log where action = 'user.resetLink'`);
    expect(audit).toEqual({ actor_id: ownerId, target_id: rita.id });
    expect(await api.as().auth.resetLink({ token: link.token })).toEqual({ email: 'rita@example.com', expiresAt: link.expiresAt });
  });

  it('kills the earlier unused link when a new one is made', async () => {
    const sam = await makeUser(api, owner, { email: 'sam@example.com' });
    const first = await api.as(owner).admin.users.passwordResetLink({ id: sam.id });
    const second = await api.as(admin).admin.users.passwordResetLink({ id: sam.id });
    expect(await rejection(api.as().auth.resetLink({ token: first.token }))).toMatchObject({ code: 'BAD_REQUEST', appCode: 'TOKEN_INVALID' });
    expect((await api.as().auth.resetLink({ token: second.token })).email).toBe('sam@example.com');
    expect(await db(api).execute(`select token_hash from password_reset_tokens where user_id = ?`, [sam.id])).toEqual([
      { token_hash: sha256(second.token) },
    ]);
  });

  it('protects the owner and needs user:resetPassword', async () => {
    expect(await rejection(api.as(admin).admin.users.passwordResetLink({ id: ownerId }))).toMatchObject({
      code: 'FORBIDDEN',
      appCode: 'OWNER_PROTECTED',
    });
    expect(await db(api).execute(`select 1 from password_reset_tokens where user_id = ?`, [ownerId])).toEqual([]);
    const ulla = await makeUser(api, owner, { email: 'ulla@example.com' });
    expect(await rejection(api.as(ulla.jar).admin.users.passwordResetLink({ id: ulla.id }))).toMatchObject({
      code: 'FORBIDDEN',
      appCode: 'FORBIDDEN',
    });
    expect(await rejection(api.as(owner).admin.users.passwordResetLink({ id: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({
      code: 'NOT_FOUND',
      appCode: 'USER_NOT_FOUND',
    });
  });
});

describe('auth.resetPassword', () => {
  it('sets the password, clears must-change, ends every session, and works once', async () => {
    const tom = await makeUser(api, owner, { email: 'tom@example.com', mustChangePassword: true });
    const phone = new TestJar();
    await api.as(phone).auth.signIn({ email: 'tom@example.com', password: tom.password });
    expect(await sessionCount(api, tom.id)).toBe(2);
    const { token } = await api.as(owner).admin.users.passwordResetLink({ id: tom.id });

    expect(await api.as().auth.resetPassword({ token, password: 'tom-new-password' })).toEqual({ email: 'tom@example.com' });
    expect(await sessionCount(api, tom.id)).toBe(0);
    expect(await rejection(api.as(tom.jar).me.get())).toMatchObject({ code: 'UNAUTHORIZED' });
    const [row] = await db(api).execute<{ must_change_password: boolean }[]>(`select must_change_password from users where id = ?`, [tom.id]);
    expect(row!.must_change_password).toBe(false);
    const [used] = await db(api).execute<{ used_at: Date | null }[]>(`select used_at from password_reset_tokens where user_id = ?`, [tom.id]);
    expect(used!.used_at).not.toBeNull();
    const [audit] = await db(api).execute(`select actor_id, target_id from audit_log where action = 'user.resetPasswordByLink'`);
    expect(audit).toEqual({ actor_id: tom.id, target_id: tom.id });

    expect(await rejection(api.as().auth.signIn({ email: 'tom@example.com', password: tom.password }))).toMatchObject({
      appCode: 'INVALID_CREDENTIALS',
    });
    const jar = new TestJar();
    await api.as(jar).auth.signIn({ email: 'tom@example.com', password: 'tom-new-password' });
    expect(await api.as(jar).me.settings.get()).toEqual({});

    expect(await rejection(api.as().auth.resetPassword({ token, password: 'tom-third-password' }))).toMatchObject({
      code: 'BAD_REQUEST',
      appCode: 'TOKEN_INVALID',
    });
    expect(await rejection(api.as().auth.resetLink({ token }))).toMatchObject({ appCode: 'TOKEN_INVALID' });
  });

  it('applies the password policy and leaves the link usable after a refusal', async () => {
    const uma = await makeUser(api, owner, { email: 'uma@example.com' });
    const { token } = await api.as(owner).admin.users.passwordResetLink({ id: uma.id });
    const short = await rejection(api.as().auth.resetPassword({ token, password: 'ninechars' }));
    expect(short).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { password: expect.any(Array) } });
    expect(await sessionCount(api, uma.id)).toBe(1);
    expect((await api.as().auth.resetLink({ token })).email).toBe('uma@example.com');
  });

  it('refuses an expired link', async () => {
    const vic = await makeUser(api, owner, { email: 'vic@example.com' });
    const { token } = await api.as(owner).admin.users.passwordResetLink({ id: vic.id });
    await db(api).execute(`update password_reset_tokens set expires_at = now() - interval '1 second' where user_id = ?`, [vic.id]);
    expect(await rejection(api.as().auth.resetLink({ token }))).toMatchObject({ appCode: 'TOKEN_INVALID' });
    expect(await rejection(api.as().auth.resetPassword({ token, password: 'vic-new-password' }))).toMatchObject({
      code: 'BAD_REQUEST',
      appCode: 'TOKEN_INVALID',
    });
    expect(await sessionCount(api, vic.id)).toBe(1);
  });

  it("does not work for a suspended or deleted user's link", async () => {
    const wes = await makeUser(api, owner, { email: 'wes@example.com' });
    const { token } = await api.as(owner).admin.users.passwordResetLink({ id: wes.id });
    await api.as(owner).admin.users.suspend({ id: wes.id, reason: 'audit' });
    expect(await rejection(api.as().auth.resetLink({ token }))).toMatchObject({ appCode: 'TOKEN_INVALID' });
    expect(await rejection(api.as().auth.resetPassword({ token, password: 'wes-new-password' }))).toMatchObject({
      appCode: 'TOKEN_INVALID',
    });
    await api.as(owner).admin.users.unsuspend({ id: wes.id });
    expect((await api.as().auth.resetLink({ token })).email).toBe('wes@example.com');

    await db(api).execute(`update users set status = 'deleted', deleted_at = now(), purge_at = now() + interval '7 days' where id = ?`, [wes.id]);
    expect(await rejection(api.as().auth.resetPassword({ token, password: 'wes-new-password' }))).toMatchObject({
      appCode: 'TOKEN_INVALID',
    });
    expect(await rejection(api.as(owner).admin.users.passwordResetLink({ id: wes.id }))).toMatchObject({
      code: 'NOT_FOUND',
      appCode: 'USER_NOT_FOUND',
    });
  });

  it('lets exactly one of five concurrent uses through', async () => {
    const xan = await makeUser(api, owner, { email: 'xan@example.com' });
    const { token } = await api.as(owner).admin.users.passwordResetLink({ id: xan.id });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => api.as().auth.resetPassword({ token, password: `xan-password-${i}` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(await rejection(Promise.reject(r.reason))).toMatchObject({ appCode: 'TOKEN_INVALID' });
    }
    expect(await db(api).execute(`select count(*)::int as n from audit_log where action = 'user.resetPasswordByLink' and target_id = ?`, [xan.id])).toEqual([
      { n: 1 },
    ]);
  });

  it('lets the owner make a link for themselves', async () => {
    const link = await api.as(owner).admin.users.passwordResetLink({ id: ownerId });
    expect((await api.as().auth.resetLink({ token: link.token })).email).toBe(OWNER.email);
  });
});
