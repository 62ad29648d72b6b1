import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, OWNER, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';
import { db, makeUser, rejection } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
let member: TestJar;

/** Seeded straight into the table, so every column the list reads is known. */
const SEED = [
  { name: 'Alice Archer', email: 'alice@archery.test', role: 'user', status: 'active', minute: 1, seen: 50, usage: 300, avatar: 'https://example.com/a.png' },
  { name: 'Bob Baker', email: 'bob.baker@bakery.test', role: 'admin', status: 'active', minute: 2, seen: null, usage: 100, avatar: null },
  { name: 'Carla Cruz', email: 'carla.cruz@example.net', role: 'pending', status: 'active', minute: 3, seen: 10, usage: 0, avatar: null },
  { name: 'Dmitri Dobrev', email: 'dd@dobrev.test', role: 'user', status: 'suspended', minute: 4, seen: 30, usage: 200, avatar: null },
  { name: 'Eve Bakerson', email: 'eve@example.net', role: 'user', status: 'deleted', minute: 5, seen: 40, usage: 50, avatar: null },
  { name: 'Frank 50% Off', email: 'frank_off@example.net', role: 'user', status: 'active', minute: 6, seen: null, usage: 400, avatar: null },
  { name: 'Gina Kxoff', email: 'gina@kxoff.test', role: 'user', status: 'active', minute: 7, seen: 20, usage: 250, avatar: null },
] as const;
const T0 = Date.parse('2026-01-01T00:00:00Z');

beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
  const em = db(api);
  for (const u of SEED) {
    await em.execute(
      `insert into users (id, email, name, role, status, usage_bytes, avatar_url, created_at, updated_at, last_active_at, deleted_at, purge_at)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        u.email,
        u.name,
        u.role,
        u.status,
        u.usage,
        u.avatar,
        new Date(T0 + u.minute * 60_000),
        new Date(T0 + u.minute * 60_000),
        u.seen == null ? null : new Date(T0 + u.seen * 60_000),
        u.status === 'deleted' ? new Date(T0) : null,
        u.status === 'deleted' ? new Date(Date.now() + 7 * 86_400_000) : null,
      ],
    );
  }
  // The owner (created now, never seen before this test's sign-in) and one more signed-in member.
  await em.execute(`update users set usage_bytes = 500, last_active_at = ? where email = ?`, [new Date(T0 + 60 * 60_000), OWNER.email]);
  member = (await makeUser(api, owner, { email: 'member@zeta.test', name: 'Zed Member' })).jar;
  await em.execute(`update users set usage_bytes = 1, last_active_at = null, created_at = ? where email = 'member@zeta.test'`, [
    new Date(T0 + 100 * 60_000),
  ]);
});
afterAll(() => api?.close());

type ListInput = Exclude<Parameters<ReturnType<TestApi['as']>['admin']['users']['list']>[0], void | undefined>;
const list = (input: ListInput) => api.as(owner).admin.users.list(input);
const names = async (input: Partial<ListInput>) => (await list({ page: 1, pageSize: 100, ...input })).items.map((u) => u.name);

describe('admin.users.list search', () => {
  it('matches a case-insensitive substring of the name or the email', async () => {
    expect(await names({ query: 'BAKER' })).toEqual(['Bob Baker']);
    expect(await names({ query: 'aRcHeR' })).toEqual(['Alice Archer']);
    expect(await names({ query: 'bakery.TEST' })).toEqual(['Bob Baker']);
    expect(await names({ query: 'example.net' })).toEqual(['Carla Cruz', 'Frank 50% Off']);
    expect(await names({ query: '  cruz ' })).toEqual(['Carla Cruz']);
    expect(await names({ query: 'no such person' })).toEqual([]);
    expect((await list({ query: 'example.net', page: 1, pageSize: 100 })).total).toBe(2);
  });

  it('takes % and _ literally', async () => {
    expect(await names({ query: '50%' })).toEqual(['Frank 50% Off']);
    expect(await names({ query: '%' })).toEqual(['Frank 50% Off']);
    expect(await names({ query: 'k_o' })).toEqual(['Frank 50% Off']);
    expect(await names({ query: '\\' })).toEqual([]);
  });

  // Terms a word-based trigram index cannot narrow; the search index holds every 1–3 character piece (migration 0008).
  it('finds terms across spaces and punctuation, of one or two characters, and without letters', async () => {
    expect(await names({ query: 'a K' })).toEqual(['Gina Kxoff']);
    expect(await names({ query: '% o' })).toEqual(['Frank 50% Off']);
    expect(await names({ query: 'a@kX' })).toEqual(['Gina Kxoff']);
    expect(await names({ query: 'xo' })).toEqual(['Gina Kxoff']);
    expect(await names({ query: 'Z', roles: ['pending', 'admin'] })).toEqual(['Carla Cruz']);
    expect(await names({ query: '0%' })).toEqual(['Frank 50% Off']);
    expect(await names({ query: '@@' })).toEqual([]);
    // Nothing matches across the end of the name and the start of the email.
    expect(await names({ query: 'archeralice' })).toEqual([]);
  });

  it('hides deleted users unless asked, and filters by roles and statuses', async () => {
    expect(await names({ query: 'bakerson' })).toEqual([]);
    expect(await names({ query: 'bakerson', statuses: ['deleted'] })).toEqual(['Eve Bakerson']);
    expect(await names({ statuses: ['suspended'] })).toEqual(['Dmitri Dobrev']);
    expect(await names({ statuses: ['active', 'deleted'], query: 'example.net' })).toEqual(['Carla Cruz', 'Eve Bakerson', 'Frank 50% Off']);
    expect(await names({ roles: ['pending'] })).toEqual(['Carla Cruz']);
    expect((await names({ roles: ['admin', 'owner'] })).sort()).toEqual(['Bob Baker', OWNER.name]);
    expect(await names({ roles: ['user'], statuses: ['suspended', 'deleted'] })).toEqual(['Dmitri Dobrev', 'Eve Bakerson']);
    expect(await names({ roles: ['user'], query: 'o' })).toEqual(['Dmitri Dobrev', 'Frank 50% Off', 'Gina Kxoff']);
  });

  it('returns the admin DTO without secrets', async () => {
    const { items } = await list({ query: 'alice', page: 1, pageSize: 10 });
    expect(items[0]).toMatchObject({ email: 'alice@archery.test', role: 'user', status: 'active', usageBytes: 300, avatarUrl: 'https://example.com/a.png' });
    expect(Object.keys(items[0]!)).not.toContain('passwordHash');
  });
});

describe('admin.users.list order and pages', () => {
  const visible = SEED.filter((u) => u.status !== 'deleted').length + 2;

  it('orders by each field both ways (ties broken by id, never-seen users last)', async () => {
    const by = async (orderBy: ListInput['orderBy'], direction: 'asc' | 'desc') =>
      (await list({ orderBy, direction, page: 1, pageSize: 100 })).items;
    const sorted = <T>(xs: T[], cmp: (a: T, b: T) => number) => [...xs].sort(cmp);
    const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

    for (const dir of ['asc', 'desc'] as const) {
      const sign = dir === 'asc' ? 1 : -1;
      const byName = await by('name', dir);
      expect(byName).toHaveLength(visible);
      expect(byName.map((u) => u.name)).toEqual(sorted(byName.map((u) => u.name), (a, b) => sign * cmpStr(a.toLowerCase(), b.toLowerCase())));
      const byEmail = (await by('email', dir)).map((u) => u.email);
      expect(byEmail).toEqual(sorted(byEmail, (a, b) => sign * cmpStr(a, b)));
      const byRole = (await by('role', dir)).map((u) => u.role);
      expect(byRole).toEqual(sorted(byRole, (a, b) => sign * cmpStr(a, b)));
      const byCreated = (await by('createdAt', dir)).map((u) => u.name);
      const createdAsc = ['Alice Archer', 'Bob Baker', 'Carla Cruz', 'Dmitri Dobrev', 'Frank 50% Off', 'Gina Kxoff', 'Zed Member', OWNER.name];
      expect(byCreated).toEqual(dir === 'asc' ? createdAsc : [...createdAsc].reverse());
      const byUsage = (await by('usage', dir)).map((u) => u.usageBytes);
      expect(byUsage).toEqual(dir === 'asc' ? [0, 1, 100, 200, 250, 300, 400, 500] : [500, 400, 300, 250, 200, 100, 1, 0]);
    }
    const seenAsc = (await by('lastActiveAt', 'asc')).map((u) => u.name);
    const seenDesc = (await by('lastActiveAt', 'desc')).map((u) => u.name);
    expect(seenAsc.slice(0, 5)).toEqual(['Carla Cruz', 'Gina Kxoff', 'Dmitri Dobrev', 'Alice Archer', OWNER.name]);
    expect(seenDesc.slice(0, 5)).toEqual([OWNER.name, 'Alice Archer', 'Dmitri Dobrev', 'Gina Kxoff', 'Carla Cruz']);
    expect(seenAsc.slice(5).sort()).toEqual(['Bob Baker', 'Frank 50% Off', 'Zed Member']);
    expect(seenDesc.slice(5).sort()).toEqual(['Bob Baker', 'Frank 50% Off', 'Zed Member']);
  });

  it('pages with a stable total; pages do not overlap and cover everyone', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await list({ orderBy: 'name', page, pageSize: 3 });
      expect(res.total).toBe(visible);
      expect(res.items.length).toBe(page < 3 ? 3 : visible - 6);
      seen.push(...res.items.map((u) => u.id));
    }
    expect(new Set(seen).size).toBe(visible);
    expect(await list({ page: 4, pageSize: 3 })).toEqual(expect.objectContaining({ items: [], total: visible }));
    // Alice, Frank, Gina and Zed (member@zeta.test); Eve is deleted.
    const filtered = await list({ query: 'a', roles: ['user'], page: 2, pageSize: 1 });
    expect(filtered.total).toBe(4);
    expect(filtered.items.map((u) => u.name)).toEqual(['Frank 50% Off']);
  });

  it('defaults to page 1 of 25 by creation date, and bounds the page size to 1–100', async () => {
    const res = await api.as(owner).admin.users.list();
    expect(res.total).toBe(visible);
    expect(res.items[0]!.name).toBe('Alice Archer');
    for (const bad of [{ page: 1, pageSize: 101 }, { page: 1, pageSize: 0 }, { page: 0, pageSize: 10 }]) {
      expect(await rejection(list(bad))).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION' });
    }
    expect(await rejection(list({ page: 1, pageSize: 10, orderBy: 'passwordHash' as never }))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await rejection(list({ page: 1, pageSize: 10, query: 'x'.repeat(201) }))).toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('users.search', () => {
  it('gives signed-in users only id, name and avatar of approved active users', async () => {
    const found = await api.as(member).users.search({ query: 'ARCH' });
    expect(found).toEqual([{ id: expect.any(String), name: 'Alice Archer', avatarUrl: 'https://example.com/a.png' }]);
    for (const u of await api.as(member).users.search({ query: 'e' })) expect(Object.keys(u).sort()).toEqual(['avatarUrl', 'id', 'name']);
  });

  it('matches names only (no email fragments, issue 9), never reveals emails, and leaves out pending, suspended and deleted users', async () => {
    expect((await api.as(member).users.search({ query: 'baker' })).map((u) => u.name)).toEqual(['Bob Baker']);
    expect(JSON.stringify(await api.as(member).users.search({ query: 'baker' }))).not.toContain('@');
    expect(await api.as(member).users.search({ query: 'bakery' })).toEqual([]);
    expect(await api.as(member).users.search({ query: 'carla' })).toEqual([]);
    expect(await api.as(member).users.search({ query: 'dobrev' })).toEqual([]);
    expect(await api.as(member).users.search({ query: 'bakerson' })).toEqual([]);
    expect(await api.as(member).users.search({ query: '50%' })).toEqual([expect.objectContaining({ name: 'Frank 50% Off' })]);
  });

  it('refuses an empty query', async () => {
    expect(await rejection(api.as(member).users.search({ query: '   ' }))).toMatchObject({ code: 'BAD_REQUEST' });
  });
});
