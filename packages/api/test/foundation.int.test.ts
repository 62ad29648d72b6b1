import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, OWNER, sessionRowId, TestJar, withOwner, type TestApi } from '@roster/test/support/api';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

async function rejection(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCError);
  const e = err as TRPCError & { cause?: { code?: string } };
  return { code: e.code, appCode: e.cause?.code, message: e.message };
}

describe('setup', () => {
  it('creates exactly one owner under 10 concurrent requests, then refuses with SETUP_DONE', async () => {
    expect(await api.as().setup.status()).toEqual({ hasOwner: false, tokenRequired: false });
    const attempts = Array.from({ length: 10 }, (_, i) =>
      api.as().setup.createOwner({ email: `owner${i}@example.com`, name: `Owner ${i}`, password: 'correct horse battery' }),
    );
    const results = await Promise.allSettled(attempts);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect(((r as PromiseRejectedResult).reason as TRPCError).code).toBe('FORBIDDEN');
      expect(((r as PromiseRejectedResult).reason as { cause: { code: string } }).cause.code).toBe('SETUP_DONE');
    }
    const rows = await api.services.orm.em.fork().execute(`select role from users`);
    expect(rows).toEqual([{ role: 'owner' }]);
    expect(await api.as().setup.status()).toEqual({ hasOwner: true, tokenRequired: false });
    const late = await rejection(api.as().setup.createOwner(OWNER));
    expect(late).toMatchObject({ code: 'FORBIDDEN', appCode: 'SETUP_DONE' });
  });
});

describe('sign-in', () => {
  let owner: TestJar;
  let ownerEmail: string;
  beforeAll(async () => {
    const rows = await api.services.orm.em.fork().execute<{ email: string }[]>(`select email from users`);
    ownerEmail = rows[0]!.email;
    owner = new TestJar();
  });

  it('signs in with the right password, case-insensitive email, and sets an HttpOnly SameSite=Lax cookie', async () => {
    const res = await api.as(owner).auth.signIn({ email: ownerEmail.toUpperCase(), password: 'correct horse battery' });
    expect(res.user.email).toBe(ownerEmail);
    expect(res.user).not.toHaveProperty('passwordHash');
    const cookie = owner.cookies.get('roster_session')!;
    expect(cookie.attributes).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/', secure: false });
    expect((await api.as(owner).auth.me()).email).toBe(ownerEmail);
  });

  it('gives the same INVALID_CREDENTIALS for a wrong password and an unknown email', async () => {
    const wrong = await rejection(api.as().auth.signIn({ email: ownerEmail, password: 'not the password' }));
    const unknown = await rejection(api.as().auth.signIn({ email: 'nobody@example.com', password: 'not the password' }));
    expect(wrong).toEqual({ code: 'UNAUTHORIZED', appCode: 'INVALID_CREDENTIALS', message: 'Email or password is incorrect' });
    expect(unknown).toEqual(wrong);
  });

  it('refuses forged and expired sessions with UNAUTHORIZED', async () => {
    const forged = new TestJar();
    forged.set({ name: 'roster_session', value: 'forged-session-id', attributes: {} as never });
    expect(await rejection(api.as(forged).auth.me())).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'UNAUTHENTICATED' });
    expect(forged.cookies.has('roster_session')).toBe(false);

    const jar = new TestJar();
    await api.as(jar).auth.signIn({ email: ownerEmail, password: 'correct horse battery' });
    await api.services.orm.em.fork().execute(`update sessions set expires_at = now() - interval '1 second' where id = ?`, [
      await sessionRowId(jar.get('roster_session')),
    ]);
    expect(await rejection(api.as(jar).auth.me())).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('renews a session past half its life (Lucia) and resends the cookie', async () => {
    const jar = new TestJar();
    await api.as(jar).auth.signIn({ email: ownerEmail, password: 'correct horse battery' });
    const token = jar.get('roster_session')!;
    const id = await sessionRowId(token);
    await api.services.orm.em.fork().execute(`update sessions set expires_at = now() + interval '2 days' where id = ?`, [id]);
    jar.cookies.delete('roster_session');
    const bearer = { authorization: `Bearer ${token}` };
    await api.as(jar, bearer).auth.me();
    const [row] = await api.services.orm.em.fork().execute<{ days: number }[]>(
      `select extract(day from expires_at - now())::int as days from sessions where id = ?`,
      [id],
    );
    expect(row!.days).toBeGreaterThanOrEqual(29);
  });

  it('signs out: the session stops working and the cookie is cleared', async () => {
    const jar = new TestJar();
    await api.as(jar).auth.signIn({ email: ownerEmail, password: 'correct horse battery' });
    const id = jar.get('roster_session')!;
    await api.as(jar).auth.signOut();
    expect(jar.cookies.has('roster_session')).toBe(false);
    const again = new TestJar();
    again.set({ name: 'roster_session', value: id, attributes: {} as never });
    expect(await rejection(api.as(again).auth.me())).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('returns zod errors field by field for bad input, never a 500', async () => {
    const err = await api
      .as()
      .setup.createOwner({ email: 'not-an-email', name: '', password: 'x' })
      .catch((e: TRPCError) => e);
    expect((err as TRPCError).code).toBe('BAD_REQUEST');
  });
});

describe('admin.users.list', () => {
  it('lists users for the owner and refuses others', async () => {
    const other = await createTestApi();
    try {
      const owner = await withOwner(other);
      const page = await other.as(owner).admin.users.list({ page: 1, pageSize: 10 });
      expect(page.total).toBe(1);
      expect(page.items[0]).toMatchObject({ email: OWNER.email, role: 'owner', status: 'active' });
      expect(page.items[0]).not.toHaveProperty('passwordHash');
      expect((await other.as(owner).admin.users.list({ query: 'LGA', page: 1, pageSize: 10 })).total).toBe(1);
      expect((await other.as(owner).admin.users.list({ query: 'zzz', page: 1, pageSize: 10 })).total).toBe(0);
      expect(await rejection(other.as().admin.users.list({ page: 1, pageSize: 10 }))).toMatchObject({ code: 'UNAUTHORIZED' });
      await other.services.orm.em.fork().execute(
        `insert into users (id, email, name, role, password_hash) values (gen_random_uuid(), 'u@example.com', 'U', 'user', null)`,
      );
      const { hashPassword } = await import('@roster/auth');
      await other.services.orm.em.fork().execute(`update users set password_hash = ? where email = 'u@example.com'`, [
        await hashPassword('user password 1'),
      ]);
      const user = new TestJar();
      await other.as(user).auth.signIn({ email: 'u@example.com', password: 'user password 1' });
      expect(await rejection(other.as(user).admin.users.list({ page: 1, pageSize: 10 }))).toMatchObject({
        code: 'FORBIDDEN',
        appCode: 'FORBIDDEN',
      });
      expect(await rejection(other.as(owner).admin.users.list({ page: 1, pageSize: 101 }))).toMatchObject({ code: 'BAD_REQUEST' });
    } finally {
      await other.close();
    }
  });
});
