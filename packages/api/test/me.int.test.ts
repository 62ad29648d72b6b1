import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, OWNER, sessionRowId, TestJar, withOwner, type TestApi } from '@roster/test/support/api';
import { db, makeUser, rejection } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
});
afterAll(() => api.close());

describe('me.get and me.update', () => {
  it('returns the caller without secrets, and refuses anonymous callers', async () => {
    const me = await api.as(owner).me.get();
    expect(me).toMatchObject({ email: OWNER.email, name: OWNER.name, role: 'owner' });
    expect(me).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(me)).not.toMatch(/argon2/);
    expect(await rejection(api.as().me.get())).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'UNAUTHENTICATED' });
  });

  it('changes name and avatar but nothing an admin owns', async () => {
    const bea = await makeUser(api, owner, { email: 'bea@example.com' });
    const updated = await api.as(bea.jar).me.update({ name: 'Bea B', avatarUrl: 'https://example.com/bea.png' });
    expect(updated).toMatchObject({ name: 'Bea B', avatarUrl: 'https://example.com/bea.png', role: 'user' });
    const [row] = await db(api).execute(`select name, avatar_url from users where id = ?`, [bea.id]);
    expect(row).toEqual({ name: 'Bea B', avatar_url: 'https://example.com/bea.png' });
    // Keys outside the schema are dropped by the router, never applied.
    await api.as(bea.jar).me.update({ name: 'Bea', role: 'admin', email: 'boss@example.com' } as never);
    expect(await api.as(bea.jar).me.get()).toMatchObject({ name: 'Bea', role: 'user', email: 'bea@example.com' });
    const bad = await rejection(api.as(bea.jar).me.update({ avatarUrl: 'not a url' }));
    expect(bad).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { avatarUrl: expect.any(Array) } });
    await api.as(bea.jar).me.update({ avatarUrl: null });
    expect((await api.as(bea.jar).me.get()).avatarUrl).toBeNull();
  });
});

describe('me.changePassword', () => {
  it('lets a must-change user through only to me.get and me.changePassword', async () => {
    const cy = await makeUser(api, owner, { email: 'cy@example.com', mustChangePassword: true });
    expect((await api.as(cy.jar).me.get()).mustChangePassword).toBe(true);
    const gated = await rejection(api.as(cy.jar).me.settings.get());
    expect(gated).toMatchObject({ code: 'FORBIDDEN', appCode: 'PASSWORD_CHANGE_REQUIRED' });

    await api.as(cy.jar).me.changePassword({ current: cy.password, next: 'cy-brand-new-pw' });
    expect((await api.as(cy.jar).me.get()).mustChangePassword).toBe(false);
    expect(await api.as(cy.jar).me.settings.get()).toEqual({});
    const [row] = await db(api).execute(`select must_change_password from users where id = ?`, [cy.id]);
    expect(row).toEqual({ must_change_password: false });
  });

  it('refuses a wrong current password with WRONG_PASSWORD on the field, and changes nothing', async () => {
    const di = await makeUser(api, owner, { email: 'di@example.com' });
    const [before] = await db(api).execute(`select password_hash from users where id = ?`, [di.id]);
    const err = await rejection(api.as(di.jar).me.changePassword({ current: 'not-my-password', next: 'di-brand-new-pw' }));
    expect(err).toMatchObject({ code: 'BAD_REQUEST', appCode: 'WRONG_PASSWORD', fields: { current: expect.any(Array) } });
    const [after] = await db(api).execute(`select password_hash from users where id = ?`, [di.id]);
    expect(after).toEqual(before);
  });

  it('applies the instance minimum length and refuses reusing the current password', async () => {
    const ed = await makeUser(api, owner, { email: 'ed@example.com' });
    await api.as(owner).admin.settings.update({ passwordMinLength: 16 });
    try {
      const short = await rejection(api.as(ed.jar).me.changePassword({ current: ed.password, next: 'fifteen-chars-x' }));
      expect(short).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { next: expect.any(Array) } });
    } finally {
      await api.as(owner).admin.settings.update({ passwordMinLength: 10 });
    }
    const floor = await rejection(api.as(ed.jar).me.changePassword({ current: ed.password, next: 'short' }));
    expect(floor).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { next: expect.any(Array) } });
    const same = await rejection(api.as(ed.jar).me.changePassword({ current: ed.password, next: ed.password }));
    expect(same).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { next: expect.any(Array) } });
  });

  it('keeps the current session, ends the others, and the new password signs in', async () => {
    const fay = await makeUser(api, owner, { email: 'fay@example.com' });
    const other = new TestJar();
    await api.as(other).auth.signIn({ email: 'fay@example.com', password: fay.password });
    const before = fay.jar.get('roster_session')!;
    await api.as(fay.jar).me.changePassword({ current: fay.password, next: 'fay-brand-new-pw' });

    // The session goes on under a new token; the one from before the change is dead.
    const after = fay.jar.get('roster_session')!;
    expect(after).not.toBe(before);
    const stale = new TestJar();
    stale.set({ name: 'roster_session', value: before, attributes: {} as never });
    expect(await rejection(api.as(stale).me.get())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await api.as(fay.jar).me.get()).email).toBe('fay@example.com');
    expect(await rejection(api.as(other).me.get())).toMatchObject({ code: 'UNAUTHORIZED' });
    const sessions = await db(api).execute<{ id: string }[]>(`select id from sessions where user_id = ?`, [fay.id]);
    expect(sessions.map((s) => s.id)).toEqual([await sessionRowId(after)]);

    const fresh = new TestJar();
    expect(await rejection(api.as(fresh).auth.signIn({ email: 'fay@example.com', password: fay.password }))).toMatchObject({
      appCode: 'INVALID_CREDENTIALS',
    });
    await api.as(fresh).auth.signIn({ email: 'fay@example.com', password: 'fay-brand-new-pw' });
    const [audit] = await db(api).execute(`select actor_id from audit_log where action = 'user.changePassword' and target_id = ?`, [fay.id]);
    expect(audit).toEqual({ actor_id: fay.id });
  });
});

describe('me.settings', () => {
  it('stores a JSON object, replacing the previous one', async () => {
    const me = api.as(owner).me.settings;
    expect(await me.get()).toEqual({});
    await me.update({ theme: 'dark', ui: { density: 'compact', pins: [1, 2] } });
    expect(await me.update({ theme: 'light' })).toEqual({ theme: 'light' });
    expect(await me.get()).toEqual({ theme: 'light' });
    const [row] = await db(api).execute(`select settings from users where email = ?`, [OWNER.email]);
    expect(row).toEqual({ settings: { theme: 'light' } });
  });

  it('accepts 64 KiB and refuses more with PAYLOAD_TOO_LARGE, keeping the old document', async () => {
    const me = api.as(owner).me.settings;
    const overhead = JSON.stringify({ blob: '' }).length;
    await me.update({ blob: 'x'.repeat(64 * 1024 - overhead) });
    const big = await rejection(me.update({ blob: 'x'.repeat(64 * 1024 - overhead + 1) }));
    expect(big).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', appCode: 'PAYLOAD_TOO_LARGE', fields: { settings: expect.any(Array) } });
    expect(((await me.get()).blob as string).length).toBe(64 * 1024 - overhead);
    await me.update({});
  });

  it('refuses anything but a JSON object', async () => {
    for (const input of [[1, 2], 'text', null] as never[]) {
      expect(await rejection(api.as(owner).me.settings.update(input))).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION' });
    }
  });
});

describe('me.status', () => {
  it('sets and replaces the whole status, and reads an expired one as empty', async () => {
    const me = api.as(owner).me.status;
    const empty = { emoji: null, message: null, expiresAt: null };
    expect(await me.get()).toEqual(empty);
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect(await me.update({ emoji: '🌴', message: 'On leave', expiresAt: until })).toEqual({
      emoji: '🌴',
      message: 'On leave',
      expiresAt: until,
    });
    expect(await me.update({ message: 'Back Monday' })).toEqual({ emoji: null, message: 'Back Monday', expiresAt: null });

    await me.update({ emoji: '🤒', expiresAt: until });
    await db(api).execute(`update users set status_expires_at = now() - interval '1 second' where email = ?`, [OWNER.email]);
    expect(await me.get()).toEqual(empty);
  });

  it('refuses an expiry in the past', async () => {
    const err = await rejection(api.as(owner).me.status.update({ message: 'x', expiresAt: '2000-01-01T00:00:00Z' }));
    expect(err).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { expiresAt: expect.any(Array) } });
  });
});

describe('me.info', () => {
  it('merges keys, removes keys set to null, and caps the merged size', async () => {
    const me = api.as(owner).me.info;
    expect(await me.get()).toEqual({});
    await me.update({ location: 'Lisbon', pronouns: 'she/her' });
    expect(await me.update({ location: 'Porto', team: { name: 'Ops' } })).toEqual({
      location: 'Porto',
      pronouns: 'she/her',
      team: { name: 'Ops' },
    });
    expect(await me.update({ pronouns: null })).toEqual({ location: 'Porto', team: { name: 'Ops' } });
    expect(await me.get()).toEqual({ location: 'Porto', team: { name: 'Ops' } });

    await me.update({ a: 'x'.repeat(40_000) });
    const big = await rejection(me.update({ b: 'y'.repeat(40_000) }));
    expect(big).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', appCode: 'PAYLOAD_TOO_LARGE' });
    expect(Object.keys(await me.get()).sort()).toEqual(['a', 'location', 'team']);
  });

  it('keeps both of two concurrent merges of different keys', async () => {
    const me = api.as(owner).me.info;
    await Promise.all(Array.from({ length: 5 }, (_, i) => me.update({ [`k${i}`]: i })));
    const info = await me.get();
    expect([0, 1, 2, 3, 4].map((i) => info[`k${i}`])).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('me.sessions', () => {
  it('lists own sessions with the current one flagged, and revokes only own sessions', async () => {
    const gus = await makeUser(api, owner, { email: 'gus@example.com' });
    const laptop = new TestJar();
    await api.as(laptop, { 'user-agent': 'Laptop/1.0' }).auth.signIn({ email: 'gus@example.com', password: gus.password });

    const list = await api.as(gus.jar).me.sessions.list();
    expect(list).toHaveLength(2);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    const other = list.find((s) => !s.current)!;
    expect(other.userAgent).toBe('Laptop/1.0');
    expect(JSON.stringify(list)).not.toContain(gus.jar.get('roster_session'));

    const ownersSession = (await api.as(owner).me.sessions.list())[0]!;
    const foreign = await rejection(api.as(gus.jar).me.sessions.revoke({ sessionId: ownersSession.id }));
    expect(foreign).toMatchObject({ code: 'NOT_FOUND', appCode: 'NOT_FOUND' });
    expect((await api.as(owner).me.get()).role).toBe('owner');

    expect(await api.as(gus.jar).me.sessions.revoke({ sessionId: other.id })).toEqual({ ok: true });
    expect(await rejection(api.as(laptop).me.get())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await api.as(gus.jar).me.sessions.list()).toHaveLength(1);
  });
});
