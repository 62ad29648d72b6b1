import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, TestJar, withOwner, type TestApi } from '@roster/test/support/api';
import { db, rejection } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
});
afterAll(() => api.close());

const PAT = { email: 'Pat@Example.com', name: 'Pat', password: 'pat-password-1' };

describe('auth.signUp', () => {
  it('is refused with SIGNUP_DISABLED while sign-up is off (the default), creating nothing', async () => {
    const jar = new TestJar();
    expect(await rejection(api.as(jar).auth.signUp(PAT))).toMatchObject({ code: 'FORBIDDEN', appCode: 'SIGNUP_DISABLED' });
    expect(await db(api).execute(`select id from users where email = 'pat@example.com'`)).toEqual([]);
    expect(jar.cookies.size).toBe(0);
  });

  it('answers bad input with field errors: email format, the fixed floor and the instance minimum', async () => {
    await api.as(owner).admin.settings.update({ signupEnabled: true });
    const email = await rejection(api.as().auth.signUp({ ...PAT, email: 'not-an-email' }));
    expect(email).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { email: expect.any(Array) } });
    const floor = await rejection(api.as().auth.signUp({ ...PAT, password: 'short' }));
    expect(floor).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { password: expect.any(Array) } });
    // 9 characters passes the schema's floor of 8 but not the default instance minimum of 10.
    const policy = await rejection(api.as().auth.signUp({ ...PAT, password: 'ninechars' }));
    expect(policy).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { password: expect.any(Array) } });
    expect(await db(api).execute(`select id from users where email = 'pat@example.com'`)).toEqual([]);
  });

  it('creates a pending account, signs it in, and audits it', async () => {
    const jar = new TestJar();
    const { user } = await api.as(jar).auth.signUp(PAT);
    expect(user).toMatchObject({ email: 'pat@example.com', name: 'Pat', role: 'pending', mustChangePassword: false });
    expect(user).not.toHaveProperty('passwordHash');
    expect(jar.cookies.get('roster_session')?.attributes.httpOnly).toBe(true);
    expect((await api.as(jar).me.get()).id).toBe(user.id);

    const [row] = await db(api).execute<{ role: string; password_hash: string }[]>(`select role, password_hash from users where id = ?`, [user.id]);
    expect(row!.role).toBe('pending');
    expect(row!.password_hash).toMatch(/^\$argon2id\$/);
    const audit = await db(api).execute(`select actor_id, target_id, details from audit_log where action = 'user.signUp'`);
    expect(audit).toEqual([{ actor_id: user.id, target_id: user.id, details: { role: 'pending', quotaGiB: null } }]);
  });

  it('refuses a taken address, whatever its case, with EMAIL_TAKEN', async () => {
    const taken = await rejection(api.as().auth.signUp({ ...PAT, email: 'PAT@example.COM' }));
    expect(taken).toMatchObject({ code: 'CONFLICT', appCode: 'EMAIL_TAKEN', fields: { email: expect.any(Array) } });
  });

  it('holds a pending user at PENDING_APPROVAL everywhere but auth.* and me.get, until approved', async () => {
    const jar = new TestJar();
    await api.as(jar).auth.signIn({ email: PAT.email, password: PAT.password });
    expect((await api.as(jar).auth.me()).role).toBe('pending');
    expect((await api.as(jar).me.get()).role).toBe('pending');
    // Called one at a time: a rejection nobody awaits yet would be reported as unhandled.
    const gated = [
      () => api.as(jar).me.settings.get(),
      () => api.as(jar).me.update({ name: 'P' }),
      () => api.as(jar).me.changePassword({ current: PAT.password, next: 'another-password' }),
      () => api.as(jar).me.sessions.list(),
      () => api.as(jar).users.search({ query: 'o' }),
      () => api.as(jar).admin.users.list(),
    ];
    for (const call of gated) expect(await rejection(call())).toMatchObject({ code: 'FORBIDDEN', appCode: 'PENDING_APPROVAL' });

    const [{ id }] = await db(api).execute<{ id: string }[]>(`select id from users where email = 'pat@example.com'`);
    await api.as(owner).admin.users.update({ id, role: 'user' });
    expect(await api.as(jar).me.settings.get()).toEqual({});
    expect(await rejection(api.as(jar).admin.users.list())).toMatchObject({ code: 'FORBIDDEN', appCode: 'FORBIDDEN' });
  });

  it('gives the default role from the settings', async () => {
    await api.as(owner).admin.settings.update({ defaultRole: 'user' });
    const { user } = await api.as().auth.signUp({ email: 'quinn@example.com', name: 'Quinn', password: 'quinn-password' });
    expect(user.role).toBe('user');
    await api.as(owner).admin.settings.update({ defaultRole: 'pending' });
  });

  it('creates one account when the same address signs up five times at once', async () => {
    const attempts = Array.from({ length: 5 }, () =>
      api.as().auth.signUp({ email: 'race@example.com', name: 'Race', password: 'race-password' }),
    );
    const results = await Promise.allSettled(attempts);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(await rejection(Promise.reject(r.reason))).toMatchObject({ code: 'CONFLICT', appCode: 'EMAIL_TAKEN' });
    }
    expect(await db(api).execute(`select count(*)::int as n from users where email = 'race@example.com'`)).toEqual([{ n: 1 }]);
  });
});
