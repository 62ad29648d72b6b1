/** Password resets, suspension, sessions and ownership transfer: the admin actions that change who can get in. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, OWNER, TestJar, withOwner, type TestApi } from '@roster/test/support/api';
import { auditRows, db, makeUser, rejection, sessionCount, signIn, stillSignedIn } from './admin-users.support.ts';

/** Real time plus an offset the tests can move forward. */
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

let api: TestApi;
let owner: TestJar;
let ownerId: string;
let admin: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  api = await createTestApi({ clock });
  owner = await withOwner(api);
  ownerId = (await api.as(owner).me.get()).id;
  admin = await makeUser(api, owner, { email: 'access-admin@example.com', role: 'admin' });
});
afterAll(() => api?.close());

const userRow = async (id: string) =>
  (
    await db(api).execute<{ role: string; status: string; must_change_password: boolean; suspended_reason: string | null; suspended_until: Date | null }[]>(
      `select role, status, must_change_password, suspended_reason, suspended_until from users where id = ?`,
      [id],
    )
  )[0]!;

describe('admin.users.resetPassword', () => {
  it('returns a new password that works, sets must-change and ends every session of the user', async () => {
    const u = await makeUser(api, owner, { email: 'reset-me@example.com' });
    const laptop = await signIn(api, u.email, u.password);
    expect(await sessionCount(api, u.id)).toBe(2);

    const { password } = await api.as(admin.jar).admin.users.resetPassword({ id: u.id });
    expect(password).toEqual(expect.any(String));
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(await sessionCount(api, u.id)).toBe(0);
    expect(await stillSignedIn(api, u.jar)).toBe(false);
    expect(await stillSignedIn(api, laptop)).toBe(false);
    expect((await userRow(u.id)).must_change_password).toBe(true);

    expect(await rejection(api.as().auth.signIn({ email: u.email, password: u.password }))).toMatchObject({
      code: 'UNAUTHORIZED',
      appCode: 'INVALID_CREDENTIALS',
    });
    const jar = await signIn(api, u.email, password);
    expect((await api.as(jar).me.get()).mustChangePassword).toBe(true);
    expect(await rejection(api.as(jar).users.search({ query: 'x' }))).toMatchObject({ appCode: 'PASSWORD_CHANGE_REQUIRED' });
    expect(await auditRows(api, 'user.resetPassword', u.id)).toEqual([
      { actor_id: admin.id, action: 'user.resetPassword', target_id: u.id, details: {} },
    ]);
  });

  it('refuses an admin resetting the owner’s password: OWNER_PROTECTED, nothing changes', async () => {
    const err = await rejection(api.as(admin.jar).admin.users.resetPassword({ id: ownerId }));
    expect(err).toEqual({ code: 'FORBIDDEN', appCode: 'OWNER_PROTECTED', message: 'The owner account is protected', fields: undefined });
    expect(await stillSignedIn(api, owner)).toBe(true);
    await signIn(api, OWNER.email, OWNER.password);
    expect((await userRow(ownerId)).must_change_password).toBe(false);
  });

  it('answers NOT_FOUND for an unknown user', async () => {
    expect(await rejection(api.as(admin.jar).admin.users.resetPassword({ id: randomUUID() }))).toMatchObject({
      code: 'NOT_FOUND',
      appCode: 'USER_NOT_FOUND',
    });
  });
});

describe('admin.users.suspend / unsuspend', () => {
  it('refuses suspending yourself (SELF_ACTION) and the owner (OWNER_PROTECTED)', async () => {
    expect(await rejection(api.as(admin.jar).admin.users.suspend({ id: admin.id, reason: 'me' }))).toMatchObject({
      code: 'FORBIDDEN',
      appCode: 'SELF_ACTION',
      message: 'You cannot do that to your own account',
    });
    expect(await rejection(api.as(owner).admin.users.suspend({ id: ownerId, reason: 'me' }))).toMatchObject({ appCode: 'SELF_ACTION' });
    expect(await rejection(api.as(admin.jar).admin.users.suspend({ id: ownerId, reason: 'coup' }))).toMatchObject({
      code: 'FORBIDDEN',
      appCode: 'OWNER_PROTECTED',
    });
    expect((await userRow(ownerId)).status).toBe('active');
    expect((await userRow(admin.id)).status).toBe('active');
    expect(await stillSignedIn(api, owner)).toBe(true);
  });

  it('ends the sessions and refuses sign-in with ACCOUNT_SUSPENDED until unsuspended', async () => {
    const u = await makeUser(api, owner, { email: 'suspend-me@example.com' });
    const dto = await api.as(admin.jar).admin.users.suspend({ id: u.id, reason: 'Unpaid invoices' });
    expect(dto).toMatchObject({ status: 'suspended', suspendedReason: 'Unpaid invoices', suspendedUntil: null });
    expect(await userRow(u.id)).toMatchObject({ status: 'suspended', suspended_reason: 'Unpaid invoices', suspended_until: null });
    expect(await sessionCount(api, u.id)).toBe(0);
    expect(await stillSignedIn(api, u.jar)).toBe(false);

    expect(await rejection(api.as().auth.signIn({ email: u.email, password: u.password }))).toEqual({
      code: 'FORBIDDEN',
      appCode: 'ACCOUNT_SUSPENDED',
      message: 'This account is suspended',
      fields: undefined,
    });
    // The account state is told only to someone who knows the password.
    expect(await rejection(api.as().auth.signIn({ email: u.email, password: 'not the password' }))).toMatchObject({ appCode: 'INVALID_CREDENTIALS' });

    const lifted = await api.as(admin.jar).admin.users.unsuspend({ id: u.id });
    expect(lifted).toMatchObject({ status: 'active', suspendedReason: null, suspendedUntil: null });
    expect(await userRow(u.id)).toMatchObject({ status: 'active', suspended_reason: null });
    await signIn(api, u.email, u.password);

    expect(await auditRows(api, 'user.suspend', u.id)).toEqual([
      { actor_id: admin.id, action: 'user.suspend', target_id: u.id, details: { reason: 'Unpaid invoices' } },
    ]);
    expect(await auditRows(api, 'user.unsuspend', u.id)).toHaveLength(1);
  });

  it('refuses an `until` in the past or now, and an empty reason', async () => {
    const u = await makeUser(api, owner, { email: 'until-past@example.com' });
    for (const until of [new Date(clock.now().getTime() - 60_000).toISOString(), clock.now().toISOString()]) {
      const err = await rejection(api.as(admin.jar).admin.users.suspend({ id: u.id, reason: 'r', until }));
      expect(err).toEqual({
        code: 'BAD_REQUEST',
        appCode: 'VALIDATION',
        message: 'The end of a suspension must be in the future',
        fields: { until: ['Must be in the future'] },
      });
    }
    expect(await rejection(api.as(admin.jar).admin.users.suspend({ id: u.id, reason: '  ' }))).toMatchObject({
      code: 'BAD_REQUEST',
      fields: { reason: ['Give a reason'] },
    });
    expect(await rejection(api.as(admin.jar).admin.users.suspend({ id: u.id, reason: 'r', until: 'tomorrow' }))).toMatchObject({ code: 'BAD_REQUEST' });
    expect((await userRow(u.id)).status).toBe('active');
    expect(await stillSignedIn(api, u.jar)).toBe(true);
  });

  it('lifts an expired `until` at the next sign-in', async () => {
    const u = await makeUser(api, owner, { email: 'until-future@example.com' });
    const until = new Date(clock.now().getTime() + 60 * 60_000);
    const dto = await api.as(admin.jar).admin.users.suspend({ id: u.id, reason: 'Cooling off', until: until.toISOString() });
    expect(dto.suspendedUntil).toBe(until.toISOString());
    expect(await rejection(api.as().auth.signIn({ email: u.email, password: u.password }))).toMatchObject({ appCode: 'ACCOUNT_SUSPENDED' });

    offsetMs += 2 * 60 * 60_000;
    try {
      const jar = await signIn(api, u.email, u.password);
      expect((await api.as(jar).me.get()).status).toBe('active');
      expect(await userRow(u.id)).toMatchObject({ status: 'active', suspended_reason: null, suspended_until: null });
    } finally {
      offsetMs = 0;
    }
  });
});

describe('admin.users sessions', () => {
  it('lists a user’s sessions by public id with agent and IP, never the raw token', async () => {
    const u = await makeUser(api, owner, { email: 'sessions@example.com' });
    const phone = new TestJar();
    await api.as(phone, { 'user-agent': 'RosterPhone/1.0' }).auth.signIn({ email: u.email, password: u.password });
    const sessions = await api.as(admin.jar).admin.users.sessions({ id: u.id });
    expect(sessions).toHaveLength(2);
    const raw = [u.jar.get('roster_session')!, phone.get('roster_session')!];
    for (const s of sessions) {
      expect(s.id).toMatch(/^[0-9a-f]{32}$/);
      expect(raw).not.toContain(s.id);
      expect(s).toMatchObject({ ip: '127.0.0.1', current: false, createdAt: expect.any(String), lastSeenAt: expect.any(String), expiresAt: expect.any(String) });
    }
    const text = JSON.stringify(sessions);
    for (const token of raw) expect(text).not.toContain(token);
    expect(sessions.map((s) => s.userAgent)).toContain('RosterPhone/1.0');
    expect(await rejection(api.as(admin.jar).admin.users.sessions({ id: randomUUID() }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('revokes one session by its public id; the others go on', async () => {
    const u = await makeUser(api, owner, { email: 'revoke-one@example.com' });
    const tablet = new TestJar();
    await api.as(tablet, { 'user-agent': 'Tablet' }).auth.signIn({ email: u.email, password: u.password });
    const target = (await api.as(admin.jar).admin.users.sessions({ id: u.id })).find((s) => s.userAgent === 'Tablet')!;
    expect(await api.as(admin.jar).admin.users.revokeSession({ sessionId: target.id })).toEqual({ userId: u.id });
    expect(await stillSignedIn(api, tablet)).toBe(false);
    expect(await stillSignedIn(api, u.jar)).toBe(true);
    expect(await sessionCount(api, u.id)).toBe(1);
    expect(await auditRows(api, 'user.revokeSession', u.id)).toEqual([
      { actor_id: admin.id, action: 'user.revokeSession', target_id: u.id, details: {} },
    ]);
    expect(await rejection(api.as(admin.jar).admin.users.revokeSession({ sessionId: target.id }))).toMatchObject({ code: 'NOT_FOUND', appCode: 'NOT_FOUND' });
    // The raw token is not an address for a session.
    expect(await rejection(api.as(admin.jar).admin.users.revokeSession({ sessionId: u.jar.get('roster_session')! }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('revokes all of a user’s sessions and says how many', async () => {
    const u = await makeUser(api, owner, { email: 'revoke-all@example.com' });
    const other = await signIn(api, u.email, u.password);
    expect(await api.as(admin.jar).admin.users.revokeAllSessions({ id: u.id })).toEqual({ revoked: 2 });
    expect(await stillSignedIn(api, u.jar)).toBe(false);
    expect(await stillSignedIn(api, other)).toBe(false);
    expect(await auditRows(api, 'user.revokeSessions', u.id)).toEqual([
      { actor_id: admin.id, action: 'user.revokeSessions', target_id: u.id, details: {} },
    ]);
  });

  it('keeps admins away from the owner’s sessions; the owner manages their own', async () => {
    const [mine] = await api.as(owner).admin.users.sessions({ id: ownerId });
    expect(await rejection(api.as(admin.jar).admin.users.revokeSession({ sessionId: mine!.id }))).toMatchObject({
      code: 'FORBIDDEN',
      appCode: 'OWNER_PROTECTED',
    });
    expect(await rejection(api.as(admin.jar).admin.users.revokeAllSessions({ id: ownerId }))).toMatchObject({ appCode: 'OWNER_PROTECTED' });
    expect(await stillSignedIn(api, owner)).toBe(true);

    const spare = await signIn(api, OWNER.email, OWNER.password);
    const spareId = (await api.as(owner).admin.users.sessions({ id: ownerId })).find((s) => s.id !== mine!.id && s.createdAt >= mine!.createdAt)!;
    await api.as(owner).admin.users.revokeSession({ sessionId: spareId.id });
    expect(await stillSignedIn(api, spare)).toBe(false);
    expect(await stillSignedIn(api, owner)).toBe(true);
  });
});

describe('admin.users.transferOwnership', () => {
  it('refuses a wrong password, yourself, and targets that are not active approved users', async () => {
    const target = await makeUser(api, owner, { email: 'heir@example.com' });
    expect(await rejection(api.as(owner).admin.users.transferOwnership({ id: target.id, password: 'not my password' }))).toEqual({
      code: 'BAD_REQUEST',
      appCode: 'WRONG_PASSWORD',
      message: 'The current password is incorrect',
      fields: { password: ['The password is incorrect'] },
    });
    expect(await rejection(api.as(owner).admin.users.transferOwnership({ id: ownerId, password: OWNER.password }))).toMatchObject({
      code: 'FORBIDDEN',
      appCode: 'SELF_ACTION',
    });
    const pending = await makeUser(api, owner, { email: 'pending-heir@example.com', role: 'pending' });
    const suspended = await makeUser(api, owner, { email: 'suspended-heir@example.com' });
    await api.as(owner).admin.users.suspend({ id: suspended.id, reason: 'r' });
    for (const id of [pending.id, suspended.id]) {
      expect(await rejection(api.as(owner).admin.users.transferOwnership({ id, password: OWNER.password }))).toMatchObject({
        code: 'BAD_REQUEST',
        message: 'The new owner must be an active, approved user',
      });
    }
    expect(await rejection(api.as(owner).admin.users.transferOwnership({ id: randomUUID(), password: OWNER.password }))).toMatchObject({
      code: 'NOT_FOUND',
      appCode: 'USER_NOT_FOUND',
    });
    expect(await rejection(api.as(admin.jar).admin.users.transferOwnership({ id: admin.id, password: admin.password }))).toMatchObject({
      code: 'FORBIDDEN',
      appCode: 'FORBIDDEN',
    });
    const owners = await db(api).execute<{ id: string }[]>(`select id from users where role = 'owner'`);
    expect(owners).toEqual([{ id: ownerId }]);
  });

  it('makes the target the one owner and the old owner an admin, and the powers follow at once', async () => {
    const heir = await makeUser(api, owner, { email: 'real-heir@example.com', mustChangePassword: false });
    const res = await api.as(owner).admin.users.transferOwnership({ id: heir.id, password: OWNER.password });
    expect(res.newOwner).toMatchObject({ id: heir.id, role: 'owner' });
    expect(res.previousOwner).toMatchObject({ id: ownerId, role: 'admin' });
    expect(await db(api).execute(`select id, role from users where role in ('owner', 'admin') order by role desc, email`)).toEqual(
      expect.arrayContaining([
        { id: heir.id, role: 'owner' },
        { id: ownerId, role: 'admin' },
      ]),
    );
    expect(await db(api).execute(`select id from users where role = 'owner'`)).toEqual([{ id: heir.id }]);
    expect(await auditRows(api, 'owner.transfer', heir.id)).toEqual([{ actor_id: ownerId, action: 'owner.transfer', target_id: heir.id, details: {} }]);

    // The old owner's session now carries an admin's powers, and the new owner's protections apply to them.
    expect(await rejection(api.as(owner).admin.users.transferOwnership({ id: ownerId, password: OWNER.password }))).toMatchObject({
      appCode: 'FORBIDDEN',
    });
    expect(await rejection(api.as(owner).admin.users.suspend({ id: heir.id, reason: 'r' }))).toMatchObject({ appCode: 'OWNER_PROTECTED' });
    expect(await api.as(owner).admin.users.list({ page: 1, pageSize: 1 })).toMatchObject({ items: expect.any(Array) });

    // And back again, so exactly one owner whichever way it goes.
    await api.as(heir.jar).admin.users.transferOwnership({ id: ownerId, password: heir.password });
    expect(await db(api).execute(`select id from users where role = 'owner'`)).toEqual([{ id: ownerId }]);
    expect((await userRow(heir.id)).role).toBe('admin');
  });

  it('leaves exactly one owner when the owner fires two transfers at once', async () => {
    const a = await makeUser(api, owner, { email: 'race-a@example.com' });
    const b = await makeUser(api, owner, { email: 'race-b@example.com' });
    const results = await Promise.allSettled([
      api.as(owner).admin.users.transferOwnership({ id: a.id, password: OWNER.password }),
      api.as(owner).admin.users.transferOwnership({ id: b.id, password: OWNER.password }),
    ]);
    const owners = await db(api).execute<{ id: string }[]>(`select id from users where role = 'owner'`);
    expect(owners).toHaveLength(1);
    expect([a.id, b.id]).toContain(owners[0]!.id);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(await rejection(Promise.reject(failed.reason))).toMatchObject({ code: 'FORBIDDEN', appCode: 'FORBIDDEN' });
    expect((await userRow(ownerId)).role).toBe('admin');
  });
});
