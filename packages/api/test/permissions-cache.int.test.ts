import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller, createContext, createServices, type Services } from '@roster/api';
import { createPermissionValuesCache } from '@roster/core';
import { inject } from 'vitest';
import { createTestApi, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';
import { db, makeUser } from './admin-users.support.ts';

/**
 * Computed permissions are kept per web process and per permission epoch
 * (migration 0022, values-cache.ts). Whatever path changes what they depend
 * on, the next request — in this process or another — must see it.
 */
let api: TestApi;
let owner: TestJar;
let other: Services;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
  // A second web process on the same database, with its own cache.
  other = await createServices({ databaseUrl: api.databaseUrl, redisUrl: inject('redisUrl'), dataDir: api.services.dataDir });
});
afterAll(async () => {
  await other.close();
  await api.close();
});

let n = 0;
const user = () => makeUser(api, owner, { email: `pc${++n}@example.com` });
const admin = () => api.as(owner).admin;
const upload = async (jar: TestJar) => (await api.as(jar).me.permissions()).permissions['files.upload'];
const uploadElsewhere = async (jar: TestJar) =>
  (await createCaller(() => createContext(other, { headers: new Headers(), ip: '127.0.0.1', secure: false, cookies: jar })).me.permissions()).permissions['files.upload'];
const sql = (q: string, params: unknown[] = []) => db(api).execute(q, params);

describe('cached permission values', () => {
  it('serve repeated checks from memory while nothing they depend on changed', async () => {
    const u = await user();
    expect(await upload(u.jar)).toBe(true);
    // A write that bypasses the epoch (triggers off for this session) is invisible: the values came from memory.
    await db(api).transactional(async (em) => {
      await em.execute(`set local session_replication_role = replica`);
      await em.execute(`insert into permission_defaults (key, allowed) values ('files.upload', false) on conflict (key) do update set allowed = false`);
    });
    expect(await upload(u.jar)).toBe(true);
    // The other process never computed them, so it reads the database.
    expect(await uploadElsewhere(u.jar)).toBe(false);
    await sql(`delete from permission_defaults`);
    expect(await upload(u.jar)).toBe(true);
  });

  it('see every kind of change on the next request, in every process', async () => {
    const u = await user();
    const both = async () => [await upload(u.jar), await uploadElsewhere(u.jar)];
    expect(await both()).toEqual([true, true]);

    await admin().permissions.setDefault({ permissions: { 'files.upload': false } });
    expect(await both()).toEqual([false, false]);

    const g = await admin().groups.create({ name: 'Cache grants', grants: [], denies: [] });
    await admin().groups.addMembers({ groupId: g.id, userIds: [u.id] });
    expect(await both()).toEqual([false, false]);
    await admin().groups.update({ id: g.id, grants: ['files.upload'] });
    expect(await both()).toEqual([true, true]);

    await admin().groups.removeMembers({ groupId: g.id, userIds: [u.id] });
    expect(await both()).toEqual([false, false]);
    // Plain SQL (as the purge or a cascade writes) moves the epoch too.
    await sql(`insert into group_members (group_id, user_id) values (?, ?)`, [g.id, u.id]);
    expect(await both()).toEqual([true, true]);
    await sql(`delete from groups where id = ?`, [g.id]);
    expect(await both()).toEqual([false, false]);

    // A role change: admins have everything.
    await admin().users.update({ id: u.id, role: 'admin' });
    expect(await both()).toEqual([true, true]);
    await admin().permissions.setDefault({ permissions: { 'files.upload': true } });
  });

  it('end when a counted membership expires, though no job has removed it yet', async () => {
    const u = await user();
    await admin().permissions.setDefault({ permissions: { 'files.upload': false } });
    const g = await admin().groups.create({ name: 'Cache expiry', grants: ['files.upload'], denies: [] });
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    await admin().groups.addMembers({ groupId: g.id, userIds: [u.id], expiresAt });
    expect(await upload(u.jar)).toBe(true);
    await expect.poll(() => upload(u.jar), { timeout: 10_000, interval: 200 }).toBe(false);
    // The row is still there: only its expiry ended the cached values.
    const [row] = await sql(`select count(*)::int as n from group_members where user_id = ?`, [u.id]);
    expect(row).toEqual({ n: 1 });
    await admin().permissions.setDefault({ permissions: { 'files.upload': true } });
  });

  it('permissions.check on a user removed meanwhile answers USER_NOT_FOUND, not a cached value', async () => {
    const u = await user();
    expect((await api.as(owner).permissions.check({ userId: u.id, keys: ['files.upload'] })).permissions).toEqual({ 'files.upload': true });
    await sql(`delete from users where id = ?`, [u.id]);
    await expect(api.as(owner).permissions.check({ userId: u.id, keys: ['files.upload'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('the cache itself', () => {
  it('keeps one epoch: a newer one empties it, a request that saw an older one neither reads nor writes', () => {
    const cache = createPermissionValuesCache(2);
    cache.at(1).set('a', { k: true }, null);
    expect(cache.at(1).get('a')).toEqual({ k: true });
    const stale = cache.at(1);
    expect(cache.at(2).get('a')).toBeNull();
    stale.set('b', { k: false }, null);
    expect(cache.at(2).get('b')).toBeNull();
    expect(stale.get('a')).toBeNull();
  });

  it('stays within its size and honours an entry end', () => {
    const cache = createPermissionValuesCache(2).at(5);
    cache.set('a', { k: true }, null);
    cache.set('b', { k: true }, null);
    cache.set('c', { k: true }, null);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([null, { k: true }, { k: true }]);
    cache.set('d', { k: true }, new Date(Date.now() - 1));
    expect(cache.get('d')).toBeNull();
  });
});
