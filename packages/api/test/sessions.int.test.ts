/** Sessions at rest, cookie names, timeouts and rotation (issue 9, "Sessions"). */
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

const sessionRows = (userId: string) =>
  db(api).execute<{ id: string; rotate: boolean }[]>(`select id, rotate from sessions where user_id = ? order by created_at`, [userId]);
const jarWith = (token: string, name = 'roster_session') => {
  const jar = new TestJar();
  jar.set({ name, value: token, attributes: {} as never });
  return jar;
};
const signedIn = (jar: TestJar, headers?: Record<string, string>) =>
  api.as(jar, headers).auth.me().then(
    () => true,
    () => false,
  );

describe('sessions at rest', () => {
  it('stores only the SHA-256 of the token: no row holds a cookie value or Bearer token', async () => {
    const u = await makeUser(api, owner, { email: 'rest@example.com' });
    const token = u.jar.get('roster_session')!;
    expect(token).toMatch(/^[a-z2-7]{40}$/);
    const rows = await sessionRows(u.id);
    expect(rows.map((r) => r.id)).toEqual([await sessionRowId(token)]);
    expect(rows[0]!.id).toMatch(/^[0-9a-f]{64}$/);
    const [hit] = await db(api).execute<{ n: number }[]>(`select count(*)::int as n from sessions where id = ?`, [token]);
    expect(hit!.n).toBe(0);
    // The stored value itself is no credential, as cookie or as Bearer token.
    expect(await signedIn(jarWith(rows[0]!.id))).toBe(false);
    expect(await signedIn(new TestJar(), { authorization: `Bearer ${rows[0]!.id}` })).toBe(false);
    expect(await signedIn(new TestJar(), { authorization: `Bearer ${token}` })).toBe(true);
  });

  it('hashes in SQL exactly as the server does, so migration 0009 keeps existing sessions working', async () => {
    const token = 'pvvndf7k4zdjie5ola6csag2dv3lz74r2w55qcae';
    const [row] = await db(api).execute<{ h: string }[]>(`select encode(sha256(convert_to(?, 'UTF8')), 'hex') as h`, [token]);
    expect(row!.h).toBe(await sessionRowId(token));
    // A session stored the old way (raw token as id), then converted by the migration's statement, validates.
    const [{ id: ownerId }] = await db(api).execute<{ id: string }[]>(`select id from users where role = 'owner'`);
    await db(api).execute(`insert into sessions (id, user_id, expires_at) values (?, ?, now() + interval '30 days')`, [token, ownerId]);
    expect(await signedIn(jarWith(token))).toBe(false);
    await db(api).execute(`update sessions set id = encode(sha256(convert_to(id, 'UTF8')), 'hex') where id = ?`, [token]);
    expect(await signedIn(jarWith(token))).toBe(true);
  });
});

describe('session cookie', () => {
  it('over https it is __Host-roster_session, Secure, path /, HttpOnly, SameSite=Lax; the plain name is not read there', async () => {
    const jar = new TestJar();
    await api.as(jar, {}, { secure: true }).auth.signIn({ email: OWNER.email, password: OWNER.password });
    const cookie = jar.cookies.get('__Host-roster_session')!;
    expect(cookie.attributes).toMatchObject({ secure: true, path: '/', httpOnly: true, sameSite: 'lax' });
    expect(cookie.attributes).not.toHaveProperty('domain');
    expect(jar.cookies.has('roster_session')).toBe(false);
    expect((await api.as(jar, {}, { secure: true }).auth.me()).email).toBe(OWNER.email);
    // A plain-named cookie (which a plain-http answer or a sibling host could plant) is not a session over https.
    const planted = jarWith(cookie.value);
    expect(await rejection(api.as(planted, {}, { secure: true }).auth.me())).toMatchObject({ appCode: 'UNAUTHENTICATED' });
    await api.as(jar, {}, { secure: true }).auth.signOut();
    expect(jar.cookies.has('__Host-roster_session')).toBe(false);
  });

  it('over plain http it is roster_session without Secure', async () => {
    const jar = new TestJar();
    await api.as(jar).auth.signIn({ email: OWNER.email, password: OWNER.password });
    expect(jar.cookies.get('roster_session')!.attributes).toMatchObject({ secure: false, path: '/', httpOnly: true });
    expect(jar.cookies.has('__Host-roster_session')).toBe(false);
  });
});

describe('idle and absolute timeouts', () => {
  const setTimeouts = (patch: { sessionIdleTimeoutMinutes?: number; sessionMaxAgeDays?: number }) => api.as(owner).admin.settings.update(patch);
  afterAll(() => setTimeouts({ sessionIdleTimeoutMinutes: 20160, sessionMaxAgeDays: 90 }));

  it('are instance settings with bounds', async () => {
    expect(await api.as(owner).admin.settings.get()).toMatchObject({ sessionIdleTimeoutMinutes: 20160, sessionMaxAgeDays: 90 });
    expect(await rejection(setTimeouts({ sessionIdleTimeoutMinutes: 4 }))).toMatchObject({ appCode: 'VALIDATION', fields: { sessionIdleTimeoutMinutes: expect.any(Array) } });
    expect(await rejection(setTimeouts({ sessionMaxAgeDays: 0 }))).toMatchObject({ appCode: 'VALIDATION', fields: { sessionMaxAgeDays: expect.any(Array) } });
  });

  it('ends a session idle for longer than the idle timeout, and deletes it', async () => {
    const u = await makeUser(api, owner, { email: 'idle@example.com' });
    const id = await sessionRowId(u.jar.get('roster_session'));
    await setTimeouts({ sessionIdleTimeoutMinutes: 60 });
    await db(api).execute(`update sessions set last_seen_at = now() - interval '59 minutes' where id = ?`, [id]);
    expect(await signedIn(u.jar)).toBe(true);
    await db(api).execute(`update sessions set last_seen_at = now() - interval '61 minutes' where id = ?`, [id]);
    expect(await rejection(api.as(u.jar).auth.me())).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'UNAUTHENTICATED' });
    expect(u.jar.cookies.has('roster_session')).toBe(false);
    expect(await sessionRows(u.id)).toEqual([]);
  });

  it('ends a session older than the absolute timeout however recently it was used', async () => {
    const u = await makeUser(api, owner, { email: 'old@example.com' });
    const id = await sessionRowId(u.jar.get('roster_session'));
    await setTimeouts({ sessionIdleTimeoutMinutes: 20160, sessionMaxAgeDays: 7 });
    await db(api).execute(`update sessions set created_at = now() - interval '6 days 23 hours', last_seen_at = now() where id = ?`, [id]);
    expect(await signedIn(u.jar)).toBe(true);
    await db(api).execute(`update sessions set created_at = now() - interval '7 days 1 minute', last_seen_at = now() where id = ?`, [id]);
    expect(await signedIn(u.jar)).toBe(false);
    expect(await sessionRows(u.id)).toEqual([]);
  });

  it('the cleanup removes timed-out sessions nobody uses any more', async () => {
    const { deleteExpiredSessions } = await import('@roster/core');
    const u = await makeUser(api, owner, { email: 'sweep@example.com' });
    await db(api).execute(`update sessions set last_seen_at = now() - interval '15 days' where user_id = ?`, [u.id]);
    expect(await deleteExpiredSessions(db(api))).toBeGreaterThanOrEqual(1);
    expect(await sessionRows(u.id)).toEqual([]);
  });
});

describe('last seen', () => {
  it('writes last-seen times only when they are over a minute old', async () => {
    const u = await makeUser(api, owner, { email: 'seen@example.com' });
    const id = await sessionRowId(u.jar.get('roster_session'));
    await db(api).execute(`update sessions set last_seen_at = now() - interval '30 seconds' where id = ?`, [id]);
    await db(api).execute(`update users set last_active_at = now() - interval '30 seconds' where id = ?`, [u.id]);
    const read = async () =>
      (
        await db(api).execute<{ s: string; u: string }[]>(
          `select s.last_seen_at::text as s, u.last_active_at::text as u from sessions s join users u on u.id = s.user_id where s.id = ?`,
          [id],
        )
      )[0]!;
    const before = await read();
    await api.as(u.jar).auth.me();
    expect(await read()).toEqual(before);
    await db(api).execute(`update sessions set last_seen_at = now() - interval '2 minutes' where id = ?`, [id]);
    await api.as(u.jar).auth.me();
    const after = await read();
    expect(after.s).not.toBe(before.s);
    expect(after.u).toBe(before.u);
    await db(api).execute(`update users set last_active_at = now() - interval '2 minutes' where id = ?`, [u.id]);
    await api.as(u.jar).auth.me();
    expect((await read()).u).not.toBe(before.u);
  });
});

describe('a new session id when the role, the password or ownership changes', () => {
  it('a role change rotates every session of the user at its next request: still signed in, old token dead', async () => {
    const u = await makeUser(api, owner, { email: 'promoted@example.com', role: 'pending' });
    const phone = new TestJar();
    await api.as(phone).auth.signIn({ email: u.email, password: u.password });
    const [before, phoneBefore] = [u.jar.get('roster_session')!, phone.get('roster_session')!];
    await api.as(owner).admin.users.update({ id: u.id, role: 'user' });
    expect((await sessionRows(u.id)).map((r) => r.rotate)).toEqual([true, true]);

    expect((await api.as(u.jar).me.get()).role).toBe('user');
    const after = u.jar.get('roster_session')!;
    expect(after).not.toBe(before);
    expect(await signedIn(jarWith(before))).toBe(false);
    expect(await signedIn(u.jar)).toBe(true);
    expect(await signedIn(phone)).toBe(true);
    expect(phone.get('roster_session')).not.toBe(phoneBefore);
    expect(await sessionRows(u.id)).toEqual(
      expect.arrayContaining([
        { id: await sessionRowId(after), rotate: false },
        { id: await sessionRowId(phone.get('roster_session')), rotate: false },
      ]),
    );
    // An edit that leaves the role alone rotates nothing.
    await api.as(owner).admin.users.update({ id: u.id, name: 'Renamed' });
    expect((await sessionRows(u.id)).map((r) => r.rotate)).toEqual([false, false]);
  });

  it('a Bearer session (the CLI) keeps its token across a role change: it cannot be planted, nor take a new one', async () => {
    const u = await makeUser(api, owner, { email: 'cli-user@example.com' });
    const token = u.jar.get('roster_session')!;
    await api.as(owner).admin.users.update({ id: u.id, role: 'admin' });
    const bearer = { authorization: `Bearer ${token}` };
    expect((await api.as(new TestJar(), bearer).auth.me()).role).toBe('admin');
    expect(await signedIn(new TestJar(), bearer)).toBe(true);
  });

  it('a password change gives the current session a new token and ends the others', async () => {
    const u = await makeUser(api, owner, { email: 'pw@example.com' });
    const other = new TestJar();
    await api.as(other).auth.signIn({ email: u.email, password: u.password });
    const before = u.jar.get('roster_session')!;
    await api.as(u.jar).me.changePassword({ current: u.password, next: 'another long password' });
    expect(u.jar.get('roster_session')).not.toBe(before);
    expect(await signedIn(jarWith(before))).toBe(false);
    expect(await signedIn(other)).toBe(false);
    expect(await signedIn(u.jar)).toBe(true);
    expect((await sessionRows(u.id)).map((r) => r.id)).toEqual([await sessionRowId(u.jar.get('roster_session'))]);
  });

  it('an admin resetting a password ends every session of the user', async () => {
    const u = await makeUser(api, owner, { email: 'reset@example.com' });
    await api.as(owner).admin.users.resetPassword({ id: u.id });
    expect(await signedIn(u.jar)).toBe(false);
    expect(await sessionRows(u.id)).toEqual([]);
  });

  it('a transfer of ownership rotates the old owner’s session at once and the new owner’s at their next request', async () => {
    const local = await createTestApi();
    try {
      const olga = await withOwner(local);
      const laptop = new TestJar();
      await local.as(laptop).auth.signIn({ email: OWNER.email, password: OWNER.password });
      const { user: ada } = await local.as(olga).admin.users.create({ email: 'ada@example.com', name: 'Ada', role: 'admin', password: 'ada long password', mustChangePassword: false });
      const adaJar = new TestJar();
      await local.as(adaJar).auth.signIn({ email: ada.email, password: 'ada long password' });
      const [olgaBefore, laptopBefore, adaBefore] = [olga.get('roster_session')!, laptop.get('roster_session')!, adaJar.get('roster_session')!];

      await local.as(olga).admin.users.transferOwnership({ id: ada.id, password: OWNER.password });
      const olgaAfter = olga.get('roster_session')!;
      expect(olgaAfter).not.toBe(olgaBefore);
      const live = (jar: TestJar) => local.as(jar).auth.me().then((m) => m.role, () => null);
      expect(await live(jarWith(olgaBefore))).toBeNull();
      expect(await live(olga)).toBe('admin');
      expect(await live(adaJar)).toBe('owner');
      expect(adaJar.get('roster_session')).not.toBe(adaBefore);
      expect(await live(jarWith(adaBefore))).toBeNull();
      expect(await live(laptop)).toBe('admin');
      expect(laptop.get('roster_session')).not.toBe(laptopBefore);
    } finally {
      await local.close();
    }
  });
});
