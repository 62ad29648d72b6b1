/** GET /api/users/export: the list's filters, every column, RFC 4180, the formula guard, the file name, and who may take it. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createUsersExportHandler } from '@roster/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';
import { db, makeUser } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
let server: http.Server;
let base: string;
let tokenOf: (jar: TestJar) => string;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
  tokenOf = (jar) => [...jar.cookies.values()][0]!.value;
  server = http.createServer(createUsersExportHandler({ services: async () => api.services, secure: () => false }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/users/export`;
});
afterAll(async () => {
  server?.close();
  await api?.close();
});

const get = (jar: TestJar | null, qs = '') => fetch(`${base}${qs}`, { headers: jar ? { authorization: `Bearer ${tokenOf(jar)}` } : {} });

/** A small RFC 4180 reader for the assertions (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  return rows;
}

describe('GET /api/users/export', () => {
  it('streams every listed user with the ten columns, quoted by RFC 4180, formulas neutralised, named by the time', async () => {
    const tricky = await makeUser(api, owner, { email: 'tricky@example.com', name: '=cmd|"/c calc"!A1, "Bob"' });
    await makeUser(api, owner, { email: 'plain@example.com', name: 'Plain Person' });
    const group = await api.as(owner).admin.groups.create({ name: 'Ops, "core"' });
    await api.as(owner).admin.groups.addMembers({ groupId: group.id, userIds: [tricky.id] });
    await db(api).execute(`update users set quota_bytes = 1073741824, usage_bytes = 42 where id = ?`, [tricky.id]);
    const res = await get(owner);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="roster-users-\d{8}-\d{6}\.csv"$/);
    const text = await res.text();
    expect(text.startsWith('id,name,email,role,status,created_at,last_active_at,quota_bytes,usage_bytes,groups\r\n')).toBe(true);
    expect(text).toContain(`,"'=cmd|""/c calc""!A1, ""Bob""",tricky@example.com,`);
    const rows = parseCsv(text);
    const row = rows.find((r) => r[2] === 'tricky@example.com')!;
    expect(row).toEqual([tricky.id, `'=cmd|"/c calc"!A1, "Bob"`, 'tricky@example.com', 'user', 'active', expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), expect.any(String), '1073741824', '42', 'Ops, "core"']);
    expect(rows.map((r) => r[2])).toEqual(['email', 'owner@example.com', 'tricky@example.com', 'plain@example.com']);
  });

  it('follows the list’s filters and order: q, role, status, group, sort, dir', async () => {
    const s = await makeUser(api, owner, { email: 'susp-export@example.com' });
    await api.as(owner).admin.users.suspend({ id: s.id, reason: 'x' });
    const emails = async (qs: string) => parseCsv(await (await get(owner, qs)).text()).slice(1).map((r) => r[2]);
    expect(await emails('?q=PLAIN')).toEqual(['plain@example.com']);
    expect(await emails('?status=suspended')).toEqual(['susp-export@example.com']);
    expect(await emails('?role=owner')).toEqual(['owner@example.com']);
    const groups = await api.as(owner).admin.groups.list();
    expect(await emails(`?group=${groups.items[0]!.id}`)).toEqual(['tricky@example.com']);
    expect(await emails('?sort=email&dir=desc')).toEqual(['tricky@example.com', 'susp-export@example.com', 'plain@example.com', 'owner@example.com']);
    expect(await emails('?role=user&role=owner&sort=email')).toEqual(['owner@example.com', 'plain@example.com', 'susp-export@example.com', 'tricky@example.com']);
  });

  it('answers 401 without a session, 403 to a non-admin, 400 for a bad filter, and records who exported', async () => {
    expect((await get(null)).status).toBe(401);
    expect(await (await get(null)).json()).toEqual({ error: { appCode: 'UNAUTHENTICATED', message: 'Sign in first' } });
    const user = await makeUser(api, owner, { email: 'not-admin@example.com' });
    const denied = await get(user.jar);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ error: { appCode: 'FORBIDDEN' } });
    const bad = await get(owner, '?role=superuser');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { appCode: 'VALIDATION' } });
    const audit = await db(api).execute<{ n: number }[]>(`select count(*)::int as n from audit_log where action = 'user.export'`);
    expect(audit[0]!.n).toBeGreaterThanOrEqual(3);
  });
});
