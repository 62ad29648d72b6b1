/**
 * A single GET query is answered by the API handler's own short path
 * (packages/api/src/http/trpc-handler.ts, answerQuery); the same call inside
 * a batch goes through tRPC's adapter. Both must give the same answer:
 * status, body (the batch's one element), content type, security headers,
 * Retry-After, and cookies for a session that must be cleared.
 */
import { describe, expect, it, vi } from 'vitest';
import { appWithOwner } from '../../support/owner-app.ts';

vi.setConfig({ testTimeout: 60_000 });

const held = appWithOwner();

const query = (input: unknown) => (input === undefined ? '' : `input=${encodeURIComponent(JSON.stringify(input))}`);

async function both(path: string, input: unknown, headers: Record<string, string>) {
  const single = await fetch(new URL(`/api/trpc/${path}?${query(input)}`, held.app.baseUrl), { headers });
  const batchInput = input === undefined ? undefined : { 0: input };
  const batch = await fetch(new URL(`/api/trpc/${path}?batch=1&${query(batchInput)}`, held.app.baseUrl), { headers });
  return { single, singleBody: await single.json(), batch, batchBody: ((await batch.json()) as unknown[])[0] };
}

const SECURITY = ['x-content-type-options', 'referrer-policy', 'x-frame-options', 'content-security-policy'];

describe('a single GET query', () => {
  it.each([
    ['signed in', 'auth.me', undefined, () => ({ cookie: held.owner.cookie }), 200],
    ['a page of users', 'admin.users.list', { query: 'olga', page: 1, pageSize: 5 }, () => ({ cookie: held.owner.cookie }), 200],
    ['invalid input', 'admin.users.list', { page: 0 }, () => ({ cookie: held.owner.cookie }), 400],
    ['signed out', 'auth.me', undefined, () => ({}), 401],
    ['an unknown session', 'auth.me', undefined, () => ({ cookie: 'roster_session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }), 401],
    ['a Bearer token', 'auth.me', undefined, () => ({ authorization: `Bearer ${held.owner.session}` }), 200],
  ])('answers as tRPC does: %s', async (_what, path, input, headers, status) => {
    const r = await both(path, input, headers());
    expect(r.single.status).toBe(status);
    expect(r.singleBody).toEqual(r.batchBody);
    expect(r.single.headers.get('content-type')).toMatch(/^application\/json/);
    for (const h of SECURITY) expect(r.single.headers.get(h), h).toBe(r.batch.headers.get(h));
    expect(r.single.headers.get('set-cookie')).toBe(r.batch.headers.get('set-cookie'));
  });

  it('clears a cookie that names no session, as the adapter does', async () => {
    const r = await both('auth.me', undefined, { cookie: 'roster_session=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' });
    expect(r.single.headers.get('set-cookie')).toMatch(/^roster_session=; .*Max-Age=0/);
  });

  it('leaves input that is not JSON, and mutations, to the adapter', async () => {
    const bad = await fetch(new URL('/api/trpc/auth.me?input=%7Bnot-json', held.app.baseUrl));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.data).toMatchObject({ code: 'BAD_REQUEST', path: 'auth.me' });
    const mutation = await fetch(new URL('/api/trpc/auth.signOut', held.app.baseUrl), { headers: { cookie: held.owner.cookie } });
    expect(mutation.status).toBe(405);
  });

  it('answers a path that does not decode as a client error, never 500', async () => {
    for (const path of ['/api/trpc/auth.me%E0%A4%A', '/api/trpc/%', '/api/trpc/auth.me,%FF?batch=1']) {
      const res = await fetch(new URL(path, held.app.baseUrl), { headers: { cookie: held.owner.cookie } });
      expect([400, 404], path).toContain(res.status);
      expect((await res.json()).error.data.path ?? null, path).not.toBe('auth.me');
    }
  });
});
