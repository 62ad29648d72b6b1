/**
 * The transport side of the router fuzz (packages/api/test/fuzz-router.int.test.ts):
 * malformed bodies, content types, methods, query strings and deep nesting
 * sent to the built app over HTTP. None may answer 5xx or take the process
 * down, and none may change the database.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/server.ts';
import { changedTables, tableChecksums } from '../../support/db-checksum.ts';

const OWNER = { name: 'Fuzz Owner', email: 'owner@example.com', password: 'fuzz owner password' };

let app: RunningApp;
let db: pg.Client;
let cookie = '';
let checksum: () => Promise<Record<string, string>>;

const deepArray = (n: number) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const signIn = JSON.stringify({ email: OWNER.email, password: 'wrong password here' });
// Signed out, so refused without a write: a failed sign-in is itself an audit event (and counts toward the limits).
const update = JSON.stringify({ name: 'Changed by a stranger' });

type Probe = { name: string; path: string; method?: string; headers?: Record<string, string>; body?: string | Uint8Array<ArrayBuffer>; signedIn?: boolean };

const PROBES: Probe[] = [
  { name: 'truncated JSON', path: '/api/trpc/auth.signIn', body: '{"email":' },
  { name: 'not JSON at all', path: '/api/trpc/auth.signIn', body: 'email=a&password=b' },
  { name: 'empty body', path: '/api/trpc/auth.signIn', body: '' },
  { name: 'JSON null', path: '/api/trpc/auth.signIn', body: 'null' },
  { name: 'JSON array', path: '/api/trpc/auth.signIn', body: '[1,2,3]' },
  { name: 'JSON with NUL escape', path: '/api/trpc/auth.signIn', body: '{"email":"a\\u0000@example.com","password":"x"}' },
  { name: 'JSON with lone surrogate escape', path: '/api/trpc/me.info.update', body: '{"k":"\\ud800"}', signedIn: true },
  { name: 'JSON with NUL in a key', path: '/api/trpc/me.settings.update', body: '{"k\\u0000":1}', signedIn: true },
  { name: 'invalid UTF-8 bytes', path: '/api/trpc/me.update', body: new Uint8Array([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d]), signedIn: true },
  { name: 'array nested 100000 deep', path: '/api/trpc/auth.signIn', body: deepArray(100_000) },
  { name: 'object nested 100000 deep', path: '/api/trpc/me.settings.update', body: deepObject(100_000), signedIn: true },
  { name: 'object nested 100 deep in a JSON field', path: '/api/trpc/me.info.update', body: `{"k":${deepObject(100)}}`, signedIn: true },
  { name: 'text/plain content type', path: '/api/trpc/me.update', headers: { 'content-type': 'text/plain' }, body: update },
  { name: 'form content type', path: '/api/trpc/auth.signIn', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a%40b.c&password=x' },
  { name: 'multipart without boundary', path: '/api/trpc/auth.signIn', headers: { 'content-type': 'multipart/form-data' }, body: '--x\r\n\r\n' },
  { name: 'utf-16 charset', path: '/api/trpc/me.update', headers: { 'content-type': 'application/json; charset=utf-16' }, body: update },
  { name: 'garbage content type', path: '/api/trpc/me.update', headers: { 'content-type': ';;;=\u00ff' }, body: update },
  { name: 'batch of unknown and known', path: '/api/trpc/auth.signIn,no.such.thing?batch=1', body: JSON.stringify({ 0: JSON.parse(signIn), 1: {} }) },
  { name: 'batch with a non-object body', path: '/api/trpc/auth.signIn,auth.signIn?batch=1', body: '"x"' },
  { name: 'batch index keys gone wild', path: '/api/trpc/auth.signIn?batch=1', body: JSON.stringify({ '-1': 1, __proto__: 2, 99: 3 }) },
  { name: 'batch flag not 1', path: '/api/trpc/me.update?batch=yes', body: update },
  { name: 'empty procedure list', path: '/api/trpc/,,?batch=1', body: '{}' },
  { name: 'unknown procedure', path: '/api/trpc/no.such.procedure', body: '{}' },
  { name: 'prototype path', path: '/api/trpc/__proto__.constructor', body: '{}' },
  { name: 'encoded slash and dots', path: '/api/trpc/..%2F..%2Fme.update', body: update },
  { name: '8 KiB procedure name', path: `/api/trpc/${'a'.repeat(8192)}`, body: '{}' },
  { name: 'query with bad percent-encoding', path: '/api/trpc/setup.status?input=%E0%A4%A', method: 'GET' },
  { name: 'query input not JSON', path: '/api/trpc/users.search?input={nope', method: 'GET', signedIn: true },
  { name: 'query input deep', path: `/api/trpc/users.search?input=${encodeURIComponent(deepArray(20_000))}`, method: 'GET', signedIn: true },
  { name: 'query input 2000 deep', path: `/api/trpc/users.search?input=${encodeURIComponent(deepArray(2_000))}`, method: 'GET', signedIn: true },
  { name: 'query input with NUL', path: `/api/trpc/users.search?input=${encodeURIComponent('{"query":"a\\u0000"}')}`, method: 'GET', signedIn: true },
  { name: 'GET on a mutation', path: '/api/trpc/auth.signIn?input={}', method: 'GET' },
  { name: 'POST on a query', path: '/api/trpc/setup.status', body: '{}' },
  { name: 'PUT', path: '/api/trpc/auth.signIn', method: 'PUT', body: signIn },
  { name: 'DELETE', path: '/api/trpc/auth.signIn', method: 'DELETE' },
  { name: 'PATCH', path: '/api/trpc/me.update', method: 'PATCH', body: '{"name":"x"}', signedIn: true },
  { name: 'OPTIONS', path: '/api/trpc/auth.signIn', method: 'OPTIONS' },
  { name: 'bogus bearer', path: '/api/trpc/me.get', method: 'GET', headers: { authorization: `Bearer ${'\u00e9'.repeat(10)}` } },
  { name: 'huge bearer', path: '/api/trpc/me.get', method: 'GET', headers: { authorization: `Bearer ${'x'.repeat(6000)}` } },
  { name: 'garbage cookie', path: '/api/trpc/me.get', method: 'GET', headers: { cookie: 'roster_session=%ZZ%00; =; ;;' } },
  { name: 'form action with garbage multipart', path: '/signin', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\nContent-Disposition: form-data\r\n\r\n\u0000\r\n--x--' },
  { name: 'form action with deep urlencoded keys', path: '/signin', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `${'a['.repeat(5000)}=1&email=%00` },
];

beforeAll(async () => {
  app = await startApp();
  const res = await fetch(`${app.baseUrl}/api/trpc/setup.createOwner`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
  expect(res.status).toBe(200);
  cookie = (res.headers.getSetCookie().find((c) => c.startsWith('roster_session=')) ?? '').split(';')[0]!;
  expect(cookie).toMatch(/^roster_session=.+/);
  db = new pg.Client({ connectionString: app.databaseUrl });
  await db.connect();
  checksum = await tableChecksums(async (sql) => (await db.query(sql)).rows);
}, 120_000);

afterAll(async () => {
  await db?.end();
  await app?.stop();
});

describe('HTTP fuzz', () => {
  it('answers every malformed request below 500, and writes nothing when it refuses', async () => {
    let before = await checksum();
    const results: string[] = [];
    const changed: string[] = [];
    for (const p of PROBES) {
      const headers: Record<string, string> = { 'content-type': 'application/json', origin: app.baseUrl, ...p.headers };
      if (p.signedIn) headers.cookie = cookie;
      const method = p.method ?? 'POST';
      const res = await fetch(`${app.baseUrl}${p.path}`, { method, headers, body: method === 'GET' || method === 'OPTIONS' || method === 'DELETE' ? undefined : p.body });
      await res.arrayBuffer();
      results.push(`${p.name}: ${res.status}`);
      const after = await checksum();
      if (res.status >= 400 && changedTables(before, after).length) changed.push(`${p.name} (${res.status}) changed ${changedTables(before, after).join(', ')}`);
      before = after;
    }
    const fives = results.filter((r) => / 5\d\d$/.test(r));
    expect(fives, `${results.join('\n')}\n${app.output().slice(-3000)}`).toEqual([]);
    console.log(results.join('\n'));
    expect(changed).toEqual([]);
    // Still up and answering, and nothing logged as unhandled.
    expect((await fetch(`${app.baseUrl}/api/trpc/setup.status`)).status).toBe(200);
    expect(app.web.exitCode).toBeNull();
    expect(app.output()).not.toMatch(/unhandled|uncaught/i);
  }, 120_000);

  it('refuses what it cannot read with a tRPC error body, not a crash page', async () => {
    const res = await fetch(`${app.baseUrl}/api/trpc/auth.signIn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; data: { code: string; httpStatus: number } } };
    expect(body.error.data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
    expect(body.error.message).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
  });

  it('answers a form action whose multipart body is broken with 400, not 500', async () => {
    // Found by the pass above: request.formData() threw a TypeError inside the action.
    for (const path of ['/signin', '/signup', '/setup', '/profile?/profile', '/profile?/status']) {
      const res = await fetch(`${app.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=x', origin: app.baseUrl, cookie },
        body: '--x\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--x--',
        redirect: 'manual',
      });
      expect(res.status, path).toBe(400);
    }
    const ok = await fetch(`${app.baseUrl}/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.baseUrl },
      body: new URLSearchParams({ email: OWNER.email, password: 'wrong password here' }),
      redirect: 'manual',
    });
    expect(ok.status).toBe(400); // the action ran: a wrong password is its own 400 (fail(400))
    expect(await ok.text()).toContain('Email or password is incorrect');
  });
});
