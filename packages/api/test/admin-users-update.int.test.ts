import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_SCOPES, type Scope } from '@roster/core';
import { createTestApi, OWNER, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';
import { auditRows, db, makeUser, rejection } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
let ownerId: string;
let admin: Awaited<ReturnType<typeof makeUser>>;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
  ownerId = (await api.as(owner).me.get()).id;
  admin = await makeUser(api, owner, { email: 'update-admin@example.com', role: 'admin' });
});
afterAll(() => api?.close());

const row = async (id: string) =>
  (
    await db(api).execute<{ email: string; name: string; role: string; storage_label: string | null; quota_bytes: string | null; must_change_password: boolean }[]>(
      `select email, name, role, storage_label, quota_bytes, must_change_password from users where id = ?`,
      [id],
    )
  )[0]!;

describe('admin.users.update on the owner', () => {
  it('refuses an admin changing the owner’s role or email with OWNER_PROTECTED and changes nothing', async () => {
    const before = await row(ownerId);
    const role = await rejection(api.as(admin.jar).admin.users.update({ id: ownerId, role: 'user' }));
    expect(role).toMatchObject({ code: 'FORBIDDEN', appCode: 'OWNER_PROTECTED' });
    const email = await rejection(api.as(admin.jar).admin.users.update({ id: ownerId, email: 'taken-over@example.com' }));
    expect(email).toEqual({ code: 'FORBIDDEN', appCode: 'OWNER_PROTECTED', message: 'The owner account is protected', fields: undefined });
    // Mixed with an allowed change, the whole update is refused.
    expect(await rejection(api.as(admin.jar).admin.users.update({ id: ownerId, name: 'Renamed', email: 'x@example.com' }))).toMatchObject({
      appCode: 'OWNER_PROTECTED',
    });
    expect(await row(ownerId)).toEqual(before);
  });

  it('lets the owner change their own email but never their own role (ownership moves by transfer)', async () => {
    const updated = await api.as(owner).admin.users.update({ id: ownerId, email: 'Olga.New@Example.com' });
    expect(updated.email).toBe('olga.new@example.com');
    const role = await rejection(api.as(owner).admin.users.update({ id: ownerId, role: 'admin' }));
    expect(role).toMatchObject({ code: 'FORBIDDEN', appCode: 'OWNER_PROTECTED', message: 'The owner keeps their role; transfer ownership instead' });
    expect((await row(ownerId)).role).toBe('owner');
    await api.as(owner).admin.users.update({ id: ownerId, email: OWNER.email });
  });

  it('refuses an admin forcing a password change on the owner; the owner may set it on themselves', async () => {
    const err = await rejection(api.as(admin.jar).admin.users.update({ id: ownerId, mustChangePassword: true }));
    expect(err).toMatchObject({ code: 'FORBIDDEN', appCode: 'OWNER_PROTECTED' });
    expect((await row(ownerId)).must_change_password).toBe(false);
    // Nothing about the owner is an admin's to edit, not even a no-op.
    expect(await rejection(api.as(admin.jar).admin.users.update({ id: ownerId, mustChangePassword: false }))).toMatchObject({ appCode: 'OWNER_PROTECTED' });
    expect((await api.as(owner).admin.users.update({ id: ownerId, mustChangePassword: true })).mustChangePassword).toBe(true);
    await db(api).execute(`update users set must_change_password = false where id = ?`, [ownerId]);
  });

  it('refuses an admin changing anything about the owner (quota, name, avatar, label), even with adminsCanCreateAdmins on', async () => {
    const before = await row(ownerId);
    for (const adminsCanCreateAdmins of [false, true]) {
      await api.as(owner).admin.settings.update({ adminsCanCreateAdmins });
      for (const patch of [{ quotaGiB: 0.000001 }, { name: 'Olga the Owner' }, { avatarUrl: 'https://example.com/a.png' }, { storageLabel: 'olga' }]) {
        const err = await rejection(api.as(admin.jar).admin.users.update({ id: ownerId, ...patch }));
        expect({ patch, ...err }).toEqual({ patch, code: 'FORBIDDEN', appCode: 'OWNER_PROTECTED', message: 'The owner account is protected', fields: undefined });
      }
    }
    await api.as(owner).admin.settings.update({ adminsCanCreateAdmins: false });
    expect(await row(ownerId)).toEqual(before);
    // The owner still edits themselves.
    expect((await api.as(owner).admin.users.update({ id: ownerId, name: 'Olga the Owner' })).name).toBe('Olga the Owner');
    await api.as(owner).admin.users.update({ id: ownerId, name: OWNER.name });
  });
});

describe('admin.users.update roles', () => {
  it('lets only the owner grant or remove the admin role', async () => {
    const u = await makeUser(api, owner, { email: 'promote-me@example.com' });
    const grant = await rejection(api.as(admin.jar).admin.users.update({ id: u.id, role: 'admin' }));
    expect(grant).toMatchObject({ code: 'FORBIDDEN', appCode: 'FORBIDDEN', message: 'Only the owner can grant or remove the admin role' });
    expect((await row(u.id)).role).toBe('user');

    const other = await makeUser(api, owner, { email: 'other-admin@example.com', role: 'admin' });
    expect(await rejection(api.as(admin.jar).admin.users.update({ id: other.id, role: 'user' }))).toMatchObject({ appCode: 'ADMIN_PROTECTED' });
    expect((await row(other.id)).role).toBe('admin');

    expect((await api.as(owner).admin.users.update({ id: u.id, role: 'admin' })).role).toBe('admin');
    expect((await api.as(owner).admin.users.update({ id: u.id, role: 'user' })).role).toBe('user');
  });

  it('needs the user:changeRole scope for a role change, apart from user:update', async () => {
    const u = await makeUser(api, owner, { email: 'scope-check@example.com' });
    // No role lacks it today, so one is taken away from admins for this test.
    const adminScopes = ROLE_SCOPES.admin as Scope[];
    const at = adminScopes.indexOf('user:changeRole');
    expect(at).toBeGreaterThanOrEqual(0);
    adminScopes.splice(at, 1);
    try {
      const err = await rejection(api.as(admin.jar).admin.users.update({ id: u.id, role: 'pending', name: 'Renamed' }));
      expect(err).toEqual({ code: 'FORBIDDEN', appCode: 'FORBIDDEN', message: 'Changing roles needs the user:changeRole permission', fields: undefined });
      expect(await row(u.id)).toMatchObject({ role: 'user', name: 'scope-check' });
      // The same role is no change; other fields still need only user:update.
      expect((await api.as(admin.jar).admin.users.update({ id: u.id, role: 'user', name: 'Renamed' })).name).toBe('Renamed');
    } finally {
      adminScopes.splice(at, 0, 'user:changeRole');
    }
    expect((await api.as(admin.jar).admin.users.update({ id: u.id, role: 'pending' })).role).toBe('pending');
  });

  it('lets admins grant admin when adminsCanCreateAdmins is on', async () => {
    const u = await makeUser(api, owner, { email: 'promote-by-admin@example.com' });
    await api.as(owner).admin.settings.update({ adminsCanCreateAdmins: true });
    try {
      expect((await api.as(admin.jar).admin.users.update({ id: u.id, role: 'admin' })).role).toBe('admin');
      expect((await api.as(admin.jar).admin.users.update({ id: u.id, role: 'pending' })).role).toBe('pending');
    } finally {
      await api.as(owner).admin.settings.update({ adminsCanCreateAdmins: false });
    }
  });

  it('never sets the role owner, not even for the owner', async () => {
    const u = await makeUser(api, owner, { email: 'would-be-owner@example.com' });
    for (const jar of [owner, admin.jar]) {
      const err = await rejection(api.as(jar).admin.users.update({ id: u.id, role: 'owner' as never }));
      expect(err).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { role: [expect.any(String)] } });
    }
    const [{ n }] = await db(api).execute<{ n: number }[]>(`select count(*)::int as n from users where role = 'owner'`);
    expect(n).toBe(1);
  });

  it('approves a pending account by making it a user; a demoted admin loses admin access at once', async () => {
    const pending = await makeUser(api, admin.jar, { email: 'approve-me@example.com', role: 'pending' });
    expect(await rejection(api.as(pending.jar).users.search({ query: 'x' }))).toMatchObject({ appCode: 'PENDING_APPROVAL' });
    await api.as(admin.jar).admin.users.update({ id: pending.id, role: 'user' });
    expect(await api.as(pending.jar).users.search({ query: 'x' })).toEqual(expect.any(Array));

    const temp = await makeUser(api, owner, { email: 'temp-admin@example.com', role: 'admin' });
    await api.as(temp.jar).admin.users.list({ page: 1, pageSize: 1 });
    await api.as(owner).admin.users.update({ id: temp.id, role: 'user' });
    expect(await rejection(api.as(temp.jar).admin.users.list({ page: 1, pageSize: 1 }))).toMatchObject({ code: 'FORBIDDEN', appCode: 'FORBIDDEN' });
  });
});

describe('admin.users.update fields', () => {
  it('refuses an email in use (any case) and a storage label in use after normalisation', async () => {
    const a = await makeUser(api, owner, { email: 'fields-a@example.com' });
    const b = await makeUser(api, owner, { email: 'fields-b@example.com' });
    await api.as(admin.jar).admin.users.update({ id: a.id, storageLabel: 'Team-A' });
    expect((await row(a.id)).storage_label).toBe('team-a');

    const email = await rejection(api.as(admin.jar).admin.users.update({ id: b.id, email: 'FIELDS-A@example.com' }));
    expect(email).toMatchObject({ code: 'CONFLICT', appCode: 'EMAIL_TAKEN', fields: { email: ['That email address is already in use'] } });
    const label = await rejection(api.as(admin.jar).admin.users.update({ id: b.id, storageLabel: ' TEAM-A ' }));
    expect(label).toMatchObject({ code: 'CONFLICT', appCode: 'STORAGE_LABEL_TAKEN' });
    expect(await row(b.id)).toMatchObject({ email: 'fields-b@example.com', storage_label: null });

    // Saving a user's own email or label again is not a conflict.
    await api.as(admin.jar).admin.users.update({ id: a.id, email: 'Fields-A@example.com', storageLabel: 'team-a' });
    expect(await api.as(admin.jar).admin.users.update({ id: a.id, storageLabel: '' })).toMatchObject({ storageLabel: null });
  });

  it('updates name, avatar, quota (GiB → bytes, 0 → unlimited) and must-change', async () => {
    const u = await makeUser(api, owner, { email: 'fields-c@example.com' });
    const updated = await api.as(admin.jar).admin.users.update({
      id: u.id,
      name: '  Cleo Fields ',
      avatarUrl: 'https://example.com/cleo.png',
      quotaGiB: 0.5,
      mustChangePassword: true,
    });
    expect(updated).toMatchObject({ name: 'Cleo Fields', avatarUrl: 'https://example.com/cleo.png', quotaBytes: 536_870_912, mustChangePassword: true });
    expect(await row(u.id)).toMatchObject({ name: 'Cleo Fields', quota_bytes: '536870912', must_change_password: true });
    expect((await api.as(admin.jar).admin.users.update({ id: u.id, quotaGiB: 0 })).quotaBytes).toBeNull();
    expect((await row(u.id)).quota_bytes).toBeNull();
    expect(await rejection(api.as(admin.jar).admin.users.update({ id: u.id, avatarUrl: 'not a url' }))).toMatchObject({
      code: 'BAD_REQUEST',
      fields: { avatarUrl: [expect.any(String)] },
    });
  });

  it('answers NOT_FOUND USER_NOT_FOUND for an unknown id and BAD_REQUEST for a malformed one', async () => {
    expect(await rejection(api.as(admin.jar).admin.users.update({ id: randomUUID(), name: 'Nobody' }))).toMatchObject({
      code: 'NOT_FOUND',
      appCode: 'USER_NOT_FOUND',
    });
    expect(await rejection(api.as(admin.jar).admin.users.get({ id: randomUUID() }))).toMatchObject({ code: 'NOT_FOUND', appCode: 'USER_NOT_FOUND' });
    expect(await rejection(api.as(admin.jar).admin.users.get({ id: 'nope' }))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('audits updates with what changed', async () => {
    const u = await makeUser(api, owner, { email: 'fields-d@example.com' });
    await api.as(owner).admin.users.update({ id: u.id, role: 'pending', storageLabel: 'Dee', quotaGiB: 1 });
    const rows = await auditRows(api, 'user.update', u.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: ownerId, target_id: u.id, details: { before: { role: 'user', storageLabel: null, quotaBytes: null }, after: { role: 'pending', storageLabel: 'dee', quotaBytes: 1024 ** 3 } } });
  });
});
