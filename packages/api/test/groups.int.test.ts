import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadFile, type Actor } from '@roster/core';
import { createTestApi, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';
import { auditRows, db, makeUser, rejection } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
});
afterAll(() => api.close());

let n = 0;
const user = (opts: { role?: 'admin' | 'user' } = {}) => makeUser(api, owner, { email: `g${++n}@example.com`, name: `G${n}`, ...opts });
const admin = () => api.as(owner).admin;
const perms = async (jar: TestJar) => (await api.as(jar).me.permissions()).permissions;
const UNKNOWN = '00000000-0000-4000-a000-000000000000';

async function resetDefaults() {
  await admin().permissions.setDefault({ permissions: { 'files.upload': true, 'files.download': true, 'users.search': true, 'profile.editName': true } });
}

describe('permission catalogue and default template', () => {
  it("lists Roster's keys with area, label and default", async () => {
    const { items } = await admin().permissions.catalogue();
    expect(items).toContainEqual({ key: 'files.upload', area: 'files', label: 'Upload files', default: true });
    for (const k of ['files.download', 'profile.editName', 'profile.editAvatar', 'users.search', 'apiKeys.create'])
      expect(items.find((i) => i.key === k)?.default).toBe(true);
    expect((await admin().permissions.getDefault()).permissions['files.upload']).toBe(true);
  });

  it('refuses unknown keys with BAD_REQUEST, changing nothing', async () => {
    const err = await rejection(admin().permissions.setDefault({ permissions: { 'no.such.key': true, 'files.upload': false } }));
    expect(err).toMatchObject({ code: 'BAD_REQUEST', appCode: 'UNKNOWN_PERMISSION' });
    expect(err.message).toContain('no.such.key');
    expect((await admin().permissions.getDefault()).permissions['files.upload']).toBe(true);
    expect(await rejection(admin().permissions.setDefault({ permissions: { 'not a key': true } }))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('changes only the named keys, audited with before and after, in effect at once', async () => {
    const u = await user();
    expect((await perms(u.jar))['files.upload']).toBe(true);
    const res = await admin().permissions.setDefault({ permissions: { 'files.upload': false } });
    expect(res.permissions).toMatchObject({ 'files.upload': false, 'files.download': true });
    expect((await perms(u.jar))['files.upload']).toBe(false);
    expect((await perms(u.jar))['files.download']).toBe(true);
    const [audit] = (await auditRows(api, 'permissions.default.set')).slice(-1);
    expect(audit!.details).toMatchObject({ before: { 'files.upload': true }, after: { 'files.upload': false } });
    // Admins keep everything whatever the template says.
    expect((await perms(owner))['files.upload']).toBe(true);
    await resetDefaults();
  });
});

describe('groups: union and deny', () => {
  it('grants add to the template, any deny wins, expired memberships count for nothing', async () => {
    const u = await user();
    await admin().permissions.setDefault({ permissions: { 'files.upload': false } });
    const up = await admin().groups.create({ name: 'Uploaders U', grants: ['files.upload'], denies: [] });
    expect(up).toMatchObject({ id: expect.any(String), name: 'Uploaders U', grants: ['files.upload'], denies: [], memberCount: 0 });
    await admin().groups.addMembers({ groupId: up.id, userIds: [u.id] });
    expect((await perms(u.jar))['files.upload']).toBe(true);

    const no = await admin().groups.create({ name: 'No uploads U', grants: [], denies: ['files.upload', 'users.search'] });
    await admin().groups.addMembers({ groupId: no.id, userIds: [u.id] });
    const p = await perms(u.jar);
    expect(p['files.upload']).toBe(false);
    expect(p['users.search']).toBe(false);
    expect(p['files.download']).toBe(true);

    // The sources, for the user's page.
    const { items } = await admin().users.permissions({ id: u.id });
    expect(items.find((i) => i.key === 'files.upload')).toMatchObject({ allowed: false, source: { kind: 'denied', groups: [{ id: no.id, name: 'No uploads U' }] } });
    expect(items.find((i) => i.key === 'files.download')).toMatchObject({ allowed: true, source: { kind: 'default' } });
    expect((await api.as(owner).permissions.check({ userId: u.id, keys: ['files.upload', 'files.download'] })).permissions).toEqual({
      'files.upload': false,
      'files.download': true,
    });

    // An expired membership of the denying group: ignored before any job removes it.
    await db(api).execute(`update group_members set expires_at = now() - interval '1 second' where group_id = ? and user_id = ?`, [no.id, u.id]);
    expect((await perms(u.jar))['files.upload']).toBe(true);
    expect((await admin().users.permissions({ id: u.id })).items.find((i) => i.key === 'files.upload')).toMatchObject({
      allowed: true,
      source: { kind: 'group', groups: [{ id: up.id, name: 'Uploaders U' }] },
    });
    expect((await admin().users.groups({ id: u.id })).items.map((g) => g.name)).toEqual(['Uploaders U']);
    await resetDefaults();
  });

  it('blocks upload from the next request when the grant is removed', async () => {
    const u = await user();
    const actor = (await api.as(u.jar).me.get()) as unknown as Actor;
    await admin().permissions.setDefault({ permissions: { 'files.upload': false } });
    const g = await admin().groups.create({ name: 'Upl next', grants: ['files.upload'], denies: [] });
    await admin().groups.addMembers({ groupId: g.id, userIds: [u.id] });
    const deps = { ...api.services, em: db(api), permissions: api.services.permissions } as never;
    const body = async function* () {
      yield Buffer.from('abc');
    };
    await expect(uploadFile(deps, actor, { name: 'a.txt', size: 3, body: body() })).resolves.toMatchObject({ size: 3 });
    await admin().groups.removeMembers({ groupId: g.id, userIds: [u.id] });
    await expect(uploadFile(deps, actor, { name: 'b.txt', size: 3, body: body() })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    const [{ n: files }] = await db(api).execute(`select count(*)::int as n from files where owner_id = ?`, [u.id]);
    expect(files).toBe(1);
    await resetDefaults();
  });

  it('enforces users.search and profile keys through the router', async () => {
    const u = await user();
    const g = await admin().groups.create({ name: 'Quiet', grants: [], denies: ['users.search', 'profile.editName'] });
    await admin().groups.addMembers({ groupId: g.id, userIds: [u.id] });
    expect(await rejection(api.as(u.jar).users.search({ query: 'G' }))).toMatchObject({ code: 'FORBIDDEN', appCode: 'PERMISSION_DENIED' });
    expect(await rejection(api.as(u.jar).me.update({ name: 'Renamed' }))).toMatchObject({ code: 'FORBIDDEN', appCode: 'PERMISSION_DENIED' });
    // Sending the unchanged name back is not a change.
    const me = await api.as(u.jar).me.get();
    await expect(api.as(u.jar).me.update({ name: me.name, avatarUrl: 'https://example.com/a.png' })).resolves.toMatchObject({ avatarUrl: 'https://example.com/a.png' });
    await admin().groups.delete({ id: g.id });
    await expect(api.as(u.jar).users.search({ query: 'G' })).resolves.toEqual(expect.any(Array));
  });
});

describe('groups: administration', () => {
  it('keeps names unique case-insensitively (CONFLICT / GROUP_NAME_TAKEN) and refuses unknown keys', async () => {
    await admin().groups.create({ name: 'Editors', grants: [], denies: [] });
    expect(await rejection(admin().groups.create({ name: 'editors', grants: [], denies: [] }))).toMatchObject({ code: 'CONFLICT', appCode: 'GROUP_NAME_TAKEN' });
    expect(await rejection(admin().groups.create({ name: 'X1', grants: ['no.such'], denies: [] }))).toMatchObject({ code: 'BAD_REQUEST', appCode: 'UNKNOWN_PERMISSION' });
    expect(await rejection(admin().groups.create({ name: 'X2', grants: ['files.upload'], denies: ['files.upload'] }))).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION' });
    const other = await admin().groups.create({ name: 'Other', grants: [], denies: [] });
    expect(await rejection(admin().groups.update({ id: other.id, name: 'EDITORS' }))).toMatchObject({ code: 'CONFLICT', appCode: 'GROUP_NAME_TAKEN' });
    const updated = await admin().groups.update({ id: other.id, name: 'Others', description: 'd', grants: ['files.download'] });
    expect(updated).toMatchObject({ name: 'Others', description: 'd', grants: ['files.download'], denies: [] });
    const [audit] = await auditRows(api, 'group.update', other.id);
    expect(audit!.details).toMatchObject({ before: { name: 'Other', grants: [] }, after: { name: 'Others', grants: ['files.download'] } });
    expect(await rejection(admin().groups.get({ id: UNKNOWN }))).toMatchObject({ code: 'NOT_FOUND', appCode: 'GROUP_NOT_FOUND' });
    expect((await admin().groups.list()).items.map((g) => g.name)).toEqual(expect.arrayContaining(['Editors', 'Others']));
  });

  it('adds and removes in bulk, idempotently, reporting unknown ids per id', async () => {
    const [a, b] = [await user(), await user()];
    const g = await admin().groups.create({ name: 'Bulk', grants: [], denies: [] });
    const first = await admin().groups.addMembers({ groupId: g.id, userIds: [a.id, b.id, UNKNOWN] });
    expect(first.results).toEqual([
      { userId: a.id, outcome: 'added' },
      { userId: b.id, outcome: 'added' },
      { userId: UNKNOWN, outcome: 'notFound' },
    ]);
    const again = await admin().groups.addMembers({ groupId: g.id, userIds: [a.id, b.id] });
    expect(again.results.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
    expect((await admin().groups.get({ id: g.id })).members.map((m) => m.userId).sort()).toEqual([a.id, b.id].sort());
    const removed = await admin().groups.removeMembers({ groupId: g.id, userIds: [a.id, a.id, UNKNOWN] });
    expect(removed.results).toEqual([
      { userId: a.id, outcome: 'removed' },
      { userId: UNKNOWN, outcome: 'notFound' },
    ]);
    expect((await admin().groups.removeMembers({ groupId: g.id, userIds: [a.id] })).results).toEqual([{ userId: a.id, outcome: 'notMember' }]);
    expect((await auditRows(api, 'group.members.add', g.id)).length).toBe(1);
    expect((await auditRows(api, 'group.members.remove', g.id)).length).toBe(1);
    expect(await rejection(admin().groups.addMembers({ groupId: g.id, userIds: [a.id], expiresAt: '2001-01-01T00:00:00Z' as never }))).toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await rejection(admin().groups.addMembers({ groupId: g.id, userIds: [] }))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('filters the users list by group and shows each user’s groups', async () => {
    const [a, b] = [await user(), await user()];
    const g = await admin().groups.create({ name: 'Listed', grants: [], denies: [] });
    await admin().groups.addMembers({ groupId: g.id, userIds: [a.id] });
    const page = await api.as(owner).admin.users.list({ page: 1, pageSize: 25, groupIds: [g.id] });
    expect(page.items.map((u) => u.id)).toEqual([a.id]);
    expect(page.total).toBe(1);
    expect(page.items[0]!.groups).toEqual([{ id: g.id, name: 'Listed' }]);
    const searched = await api.as(owner).admin.users.list({ page: 1, pageSize: 25, groupIds: [g.id], query: a.email.split('@')[0] });
    expect(searched.items.map((u) => u.id)).toEqual([a.id]);
    const all = await api.as(owner).admin.users.list({ page: 1, pageSize: 100 });
    expect(all.items.find((u) => u.id === b.id)?.groups).toEqual([]);
  });

  it('deleting a group removes its memberships, never its users', async () => {
    const a = await user();
    const g = await admin().groups.create({ name: 'Doomed', grants: ['files.upload'], denies: [] });
    await admin().groups.addMembers({ groupId: g.id, userIds: [a.id] });
    expect(await admin().groups.delete({ id: g.id })).toEqual({ id: g.id, removedMemberships: 1 });
    const [row] = await db(api).execute(`select (select count(*)::int from users where id = ?) as users, (select count(*)::int from group_members where group_id = ?) as members`, [a.id, g.id]);
    expect(row).toEqual({ users: 1, members: 0 });
    expect((await auditRows(api, 'group.delete', g.id))[0]!.details).toMatchObject({ name: 'Doomed', removedMemberships: 1 });
  });
});

describe('delegated management', () => {
  it('lets a manager add and remove members of their group only, never change its permissions', async () => {
    const [mgr, m1, m2] = [await user(), await user(), await user()];
    const mine = await admin().groups.create({ name: 'Managed', grants: [], denies: [] });
    const theirs = await admin().groups.create({ name: 'Not mine', grants: [], denies: [] });
    await admin().groups.addMembers({ groupId: mine.id, userIds: [mgr.id] });
    expect(await rejection(api.as(mgr.jar).groups.addMembers({ groupId: mine.id, userIds: [m1.id] }))).toMatchObject({ code: 'FORBIDDEN', appCode: 'FORBIDDEN' });
    const set = await admin().groups.setManagers({ groupId: mine.id, userIds: [mgr.id, m2.id] });
    expect(set.managers).toEqual([mgr.id]);
    expect(set.results).toEqual([
      { userId: mgr.id, outcome: 'manager' },
      { userId: m2.id, outcome: 'notMember' },
    ]);
    const added = await api.as(mgr.jar).groups.addMembers({ groupId: mine.id, userIds: [m1.id, m2.id] });
    expect(added.results.map((r) => r.outcome)).toEqual(['added', 'added']);
    expect((await auditRows(api, 'group.members.add', mine.id)).at(-1)!).toMatchObject({ actor_id: mgr.id, details: { via: 'manager' } });
    await api.as(mgr.jar).groups.removeMembers({ groupId: mine.id, userIds: [m2.id] });
    const view = await api.as(mgr.jar).groups.mine();
    const managed = view.items.find((g) => g.id === mine.id)!;
    expect(managed).toMatchObject({ manager: true, memberCount: 2 });
    expect(managed.members!.map((m) => m.userId).sort()).toEqual([mgr.id, m1.id].sort());
    expect(managed.members![0]).not.toHaveProperty('email');

    expect(await rejection(api.as(mgr.jar).groups.addMembers({ groupId: theirs.id, userIds: [m1.id] }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await rejection(api.as(mgr.jar).groups.addMembers({ groupId: UNKNOWN, userIds: [m1.id] }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await rejection(api.as(m1.jar).groups.removeMembers({ groupId: mine.id, userIds: [mgr.id] }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await rejection(api.as(mgr.jar).admin.groups.update({ id: mine.id, grants: ['files.upload'] }))).toMatchObject({ code: 'FORBIDDEN' });
    // A plain member sees the group, not its members.
    expect((await api.as(m1.jar).groups.mine()).items).toEqual([expect.objectContaining({ id: mine.id, manager: false })]);
    expect((await api.as(m1.jar).groups.mine()).items[0]).not.toHaveProperty('members');

    // Unset as manager: the next call is refused; the change is audited with before and after.
    await admin().groups.setManagers({ groupId: mine.id, userIds: [] });
    expect((await auditRows(api, 'group.managers.set', mine.id)).at(-1)!.details).toMatchObject({ before: [mgr.id], after: [] });
    expect(await rejection(api.as(mgr.jar).groups.removeMembers({ groupId: mine.id, userIds: [m1.id] }))).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a manager whose membership expired manages nothing', async () => {
    const [mgr, m1] = [await user(), await user()];
    const g = await admin().groups.create({ name: 'Lapsed', grants: [], denies: [] });
    await admin().groups.addMembers({ groupId: g.id, userIds: [mgr.id] });
    await admin().groups.setManagers({ groupId: g.id, userIds: [mgr.id] });
    await db(api).execute(`update group_members set expires_at = now() - interval '1 second' where group_id = ? and user_id = ?`, [g.id, mgr.id]);
    expect(await rejection(api.as(mgr.jar).groups.addMembers({ groupId: g.id, userIds: [m1.id] }))).toMatchObject({ code: 'FORBIDDEN' });
    expect((await api.as(mgr.jar).groups.mine()).items).toEqual([]);
    // Re-adding replaces the lapsed row: a fresh, plain membership.
    expect((await admin().groups.addMembers({ groupId: g.id, userIds: [mgr.id] })).results).toEqual([{ userId: mgr.id, outcome: 'added' }]);
    expect((await api.as(mgr.jar).groups.mine()).items).toEqual([expect.objectContaining({ id: g.id, manager: false, expiresAt: null })]);
  });
});
