/** First run on a server reachable beyond loopback needs the one-time setup token the web process printed. */
import { hashToken } from '@roster/auth';
import { isLoopbackHost, issueSetupToken } from '@roster/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, OWNER, TestJar, type TestApi } from '@roster/test/support/api';
import { db, rejection } from './admin-users.support.ts';

describe('isLoopbackHost', () => {
  it('knows 127.0.0.0/8, ::1 and localhost from every other address', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.org', '128.0.0.1', 'localhost.example.org']) expect(isLoopbackHost(h), h).toBe(false);
  });
});

describe('setup.createOwner beyond loopback', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await createTestApi({ setupTokenRequired: true });
  });
  afterAll(() => api.close());

  it('refuses a missing or wrong token with SETUP_TOKEN_INVALID, takes the issued one once, then answers SETUP_DONE', async () => {
    expect(await api.as().setup.status()).toEqual({ hasOwner: false, tokenRequired: true });
    const token = (await issueSetupToken(db(api)))!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    // Stored hashed only.
    expect(await db(api).execute(`select token_hash from setup_tokens`)).toEqual([{ token_hash: await hashToken(token) }]);

    const missing = await rejection(api.as().setup.createOwner(OWNER));
    expect(missing).toMatchObject({ code: 'FORBIDDEN', appCode: 'SETUP_TOKEN_INVALID' });
    // One character off (never the token itself: a token that ends in "x" gets a "y").
    const wrong = await rejection(api.as().setup.createOwner({ ...OWNER, token: `${token.slice(0, -1)}${token.endsWith('x') ? 'y' : 'x'}` }));
    expect(wrong).toMatchObject({ code: 'FORBIDDEN', appCode: 'SETUP_TOKEN_INVALID' });
    expect(await db(api).execute(`select count(*)::int as n from users`)).toEqual([{ n: 0 }]);

    // A second web process printed its own token: either one works.
    const other = (await issueSetupToken(db(api)))!;
    const jar = new TestJar();
    expect(await api.as(jar).setup.createOwner({ ...OWNER, token: other })).toMatchObject({ email: OWNER.email, role: 'owner' });
    expect(jar.get('roster_session')).toBeTruthy();
    expect(await db(api).execute(`select count(*)::int as n from setup_tokens`)).toEqual([{ n: 0 }]);

    for (const t of [token, other, undefined, 'anything at all'])
      expect(await rejection(api.as().setup.createOwner({ ...OWNER, email: 'x@example.com', token: t }))).toMatchObject({ code: 'FORBIDDEN', appCode: 'SETUP_DONE' });
    expect(await api.as().setup.status()).toEqual({ hasOwner: true, tokenRequired: false });
    // Once there is an owner no token is issued (nothing is printed at the next start).
    expect(await issueSetupToken(db(api))).toBeNull();
  });
});
