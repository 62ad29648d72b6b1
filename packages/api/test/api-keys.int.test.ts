/** API keys (issue 13): creation, the Bearer path, death of a key, scopes shrinking with the user, lastUsedAt, rate limit, service accounts. */
import { sessionIdOf } from '@roster/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, TestJar, withOwner, type TestApi } from '@roster/test/support/api';
import { auditRows, db, makeUser, rejection } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
});
afterAll(() => api.close());

const withKey = (secret: string) => api.as(new TestJar(), { authorization: `Bearer ${secret}` });
const keyRow = (id: string) =>
  db(api).execute<{ secret_hash: string; last_used_at: Date | null; revoked_at: Date | null }[]>(
    `select secret_hash, last_used_at, revoked_at from api_keys where id = ?`,
    [id],
  );
const page = { page: 1, pageSize: 5 };

describe('me.apiKeys', () => {
  it('creates a key whose secret is shown once, stored as its SHA-256, listed by prefix', async () => {
    const key = await api.as(owner).me.apiKeys.create({ name: 'reporting', scopes: ['user:list'] });
    expect(key.secret).toMatch(/^rst_[A-Za-z0-9]{40}$/);
    expect(key).toMatchObject({ name: 'reporting', scopes: ['user:list'], prefix: key.secret.slice(0, 12), expiresAt: null, lastUsedAt: null });
    const [row] = await keyRow(key.id);
    expect(row!.secret_hash).toBe(await sessionIdOf(key.secret));
    const listed = await api.as(owner).me.apiKeys.list();
    expect(listed.find((k) => k.id === key.id)).toEqual({ ...key, secret: undefined, expired: false });
    expect(JSON.stringify(listed)).not.toContain(key.secret);
    expect((await auditRows(api, 'apiKey.create')).at(-1)).toMatchObject({ action: 'apiKey.create', details: { keyId: key.id, name: 'reporting' } });
  });

  it('acts within its scopes; 403 outside them; 401 once revoked (the acceptance script)', async () => {
    const key = await api.as(owner).me.apiKeys.create({ name: 'reporting', scopes: ['user:list'] });
    expect((await withKey(key.secret).admin.users.list(page)).items.length).toBeGreaterThan(0);
    expect((await withKey(key.secret).auth.me()).role).toBe('owner');
    const denied = await rejection(withKey(key.secret).admin.users.create({ email: 'k@example.com', name: 'K', role: 'user', generatePassword: true }));
    expect(denied).toMatchObject({ code: 'FORBIDDEN', appCode: 'API_KEY_FORBIDDEN', message: 'This API key lacks the scope user:create' });
    await api.as(owner).me.apiKeys.revoke({ id: key.id });
    expect(await rejection(withKey(key.secret).admin.users.list(page))).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'UNAUTHENTICATED' });
    expect((await api.as(owner).me.apiKeys.list()).some((k) => k.id === key.id)).toBe(false);
  });

  it('refuses unknown and expired keys with 401, also on public procedures', async () => {
    expect(await rejection(withKey('rst_unknownunknownunknownunknownunknown1234').auth.me())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(await rejection(withKey('rst_unknown').setup.status())).toMatchObject({ code: 'UNAUTHORIZED' });
    const key = await api.as(owner).me.apiKeys.create({ name: 'soon', scopes: ['me'], expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect((await withKey(key.secret).me.get()).role).toBe('owner');
    await db(api).execute(`update api_keys set expires_at = now() - interval '1 second' where id = ?`, [key.id]);
    expect(await rejection(withKey(key.secret).me.get())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await api.as(owner).me.apiKeys.list()).find((k) => k.id === key.id)?.expired).toBe(true);
    expect(await rejection(api.as(owner).me.apiKeys.create({ name: 'past', scopes: ['me'], expiresAt: new Date(Date.now() - 1000).toISOString() }))).toMatchObject({
      code: 'BAD_REQUEST',
      fields: { expiresAt: ['Choose a time in the future'] },
    });
  });

  it('holds only scopes its user holds, and no key creates or manages keys', async () => {
    const u = await makeUser(api, owner, { email: 'plain@example.com' });
    expect(await rejection(api.as(u.jar).me.apiKeys.create({ name: 'x', scopes: ['me', 'user:list'] }))).toMatchObject({
      code: 'FORBIDDEN',
      appCode: 'SCOPE_NOT_HELD',
    });
    const own = await api.as(u.jar).me.apiKeys.create({ name: 'mine', scopes: ['me'] });
    expect((await withKey(own.secret).me.get()).email).toBe('plain@example.com');
    const k = withKey(own.secret);
    for (const call of [
      () => k.me.apiKeys.create({ name: 'child', scopes: ['me'] }),
      () => k.me.apiKeys.list(),
      () => k.me.apiKeys.revoke({ id: own.id }),
      () => k.me.changePassword({ current: u.password, next: 'another long password' }),
    ])
      expect(await rejection(call())).toMatchObject({ code: 'FORBIDDEN', appCode: 'API_KEY_FORBIDDEN' });
    const all = await api.as(owner).me.apiKeys.create({ name: 'all', scopes: ['me', 'user:list', 'owner:transfer'] });
    expect(await rejection(withKey(all.secret).admin.apiKeys.list())).toMatchObject({ appCode: 'API_KEY_FORBIDDEN' });
    // Someone else's key is not found by me.apiKeys.revoke.
    expect(await rejection(api.as(u.jar).me.apiKeys.revoke({ id: all.id }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('needs the permission apiKeys.create for non-admins', async () => {
    const u = await makeUser(api, owner, { email: 'nokeys@example.com' });
    await api.as(owner).admin.permissions.setDefault({ permissions: { 'apiKeys.create': false } });
    try {
      expect(await rejection(api.as(u.jar).me.apiKeys.create({ name: 'x', scopes: ['me'] }))).toMatchObject({ appCode: 'PERMISSION_DENIED' });
    } finally {
      await api.as(owner).admin.permissions.setDefault({ permissions: {} });
    }
  });
});

describe('a key never has more than its user', () => {
  it("loses scopes its user loses, and dies with suspension and deletion (the preview counts keys)", async () => {
    const a = await makeUser(api, owner, { email: 'demoted@example.com', role: 'admin' });
    const key = await api.as(a.jar).me.apiKeys.create({ name: 'ops', scopes: ['me', 'user:list'] });
    await withKey(key.secret).admin.users.list(page);
    await api.as(owner).admin.users.update({ id: a.id, role: 'user' });
    expect(await rejection(withKey(key.secret).admin.users.list(page))).toMatchObject({ code: 'FORBIDDEN', appCode: 'API_KEY_FORBIDDEN' });
    expect((await withKey(key.secret).me.get()).role).toBe('user');

    await api.as(owner).admin.users.suspend({ id: a.id, reason: 'testing keys' });
    expect(await rejection(withKey(key.secret).auth.me())).toMatchObject({ code: 'UNAUTHORIZED' });
    await api.as(owner).admin.users.unsuspend({ id: a.id });
    expect((await api.as(owner).admin.users.deletionPreview({ id: a.id })).counts.apiKeys).toBe(1);
    await api.as(owner).admin.users.delete({ id: a.id });
    expect(await rejection(withKey(key.secret).auth.me())).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('checks input fields that need a further scope (role needs user:changeRole)', async () => {
    const u = await makeUser(api, owner, { email: 'target@example.com' });
    const key = await api.as(owner).me.apiKeys.create({ name: 'editor', scopes: ['user:update'] });
    await withKey(key.secret).admin.users.update({ id: u.id, name: 'Renamed' });
    expect(await rejection(withKey(key.secret).admin.users.update({ id: u.id, role: 'admin' }))).toMatchObject({
      appCode: 'API_KEY_FORBIDDEN',
      message: 'This API key lacks the scope user:changeRole (for role)',
    });
  });

  it("limits core's own scope checks too: another user's files need files:manage on the key", async () => {
    const u = await makeUser(api, owner, { email: 'files@example.com' });
    const me = await api.as(owner).me.apiKeys.create({ name: 'me only', scopes: ['me'] });
    const files = await api.as(owner).me.apiKeys.create({ name: 'files', scopes: ['me', 'files:manage'] });
    expect(await rejection(withKey(me.secret).files.list({ page: 1, pageSize: 5, userId: u.id }))).toMatchObject({ code: 'FORBIDDEN' });
    expect((await withKey(files.secret).files.list({ page: 1, pageSize: 5, userId: u.id })).items).toEqual([]);
  });
});

describe('use of a key', () => {
  it('writes lastUsedAt and an apiKey.used audit event at most once a minute', async () => {
    const key = await api.as(owner).me.apiKeys.create({ name: 'touch', scopes: ['me'] });
    await withKey(key.secret).me.get();
    const first = (await keyRow(key.id))[0]!.last_used_at;
    expect(first).not.toBeNull();
    await withKey(key.secret).me.get();
    expect((await keyRow(key.id))[0]!.last_used_at).toEqual(first);
    await db(api).execute(`update api_keys set last_used_at = now() - interval '61 seconds' where id = ?`, [key.id]);
    await withKey(key.secret).me.get();
    expect(new Date((await keyRow(key.id))[0]!.last_used_at!).getTime()).toBeGreaterThan(new Date(first!).getTime());
    expect((await api.as(owner).me.apiKeys.list()).find((k) => k.id === key.id)?.lastUsedAt).not.toBeNull();
    // Three requests, two minutes of use: two audit events, each naming the key (never its secret) and its holder.
    const used = (await auditRows(api, 'apiKey.used')).filter((r) => r.details.keyId === key.id);
    expect(used).toHaveLength(2);
    const ownerId = (await api.as(owner).auth.me()).id;
    expect(used[0]).toMatchObject({ actor_id: ownerId, target_id: ownerId, details: { keyId: key.id, prefix: key.prefix } });
    expect(JSON.stringify(used)).not.toContain(key.secret);
  });

  it('is rate limited per key (Redis), with the wait in the error', async () => {
    const key = await api.as(owner).me.apiKeys.create({ name: 'busy', scopes: ['me'] });
    const other = await api.as(owner).me.apiKeys.create({ name: 'calm', scopes: ['me'] });
    api.services.apiKeyCallsPerMinute = 3;
    try {
      for (let i = 0; i < 3; i++) await withKey(key.secret).me.get();
      expect(await rejection(withKey(key.secret).me.get())).toMatchObject({ code: 'TOO_MANY_REQUESTS', appCode: 'RATE_LIMITED' });
      await withKey(other.secret).me.get();
    } finally {
      api.services.apiKeyCallsPerMinute = undefined;
    }
  });
});

describe('service accounts and admin.apiKeys', () => {
  it('a service account has no sign-in, owns keys an admin creates within its scope set', async () => {
    const svc = await api.as(owner).admin.serviceAccounts.create({ name: 'Billing sync' });
    expect(svc).toMatchObject({ role: 'service', status: 'active' });
    expect(svc.email).toMatch(/@service\.invalid$/);
    expect(await rejection(api.as().auth.signIn({ email: svc.email, password: 'anything at all' }))).toMatchObject({ appCode: 'INVALID_CREDENTIALS' });
    expect(await rejection(api.as(owner).admin.apiKeys.create({ userId: svc.id, name: 'k', scopes: ['user:create'] }))).toMatchObject({
      appCode: 'SCOPE_NOT_HELD',
    });
    const key = await api.as(owner).admin.apiKeys.create({ userId: svc.id, name: 'sync', scopes: ['user:list', 'permissions:check'] });
    expect((await withKey(key.secret).admin.users.list(page)).total).toBeGreaterThan(0);
    const person = await makeUser(api, owner, { email: 'person@example.com' });
    expect(await rejection(api.as(owner).admin.apiKeys.create({ userId: person.id, name: 'k', scopes: ['me'] }))).toMatchObject({ code: 'FORBIDDEN' });

    const listed = await api.as(owner).admin.apiKeys.list({ userId: svc.id });
    expect(listed.map((k) => k.name)).toEqual(['sync']);
    await api.as(owner).admin.apiKeys.revoke({ id: key.id });
    expect((await keyRow(key.id))[0]!.revoked_at).not.toBeNull();
    expect(await rejection(withKey(key.secret).auth.me())).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await auditRows(api, 'apiKey.revoke', svc.id)).length).toBe(1);
  });

  it("an admin does not see or revoke the owner's keys", async () => {
    const a = await makeUser(api, owner, { email: 'admin2@example.com', role: 'admin' });
    const ownerKey = await api.as(owner).me.apiKeys.create({ name: 'owner-only', scopes: ['me'] });
    expect((await api.as(a.jar).admin.apiKeys.list()).some((k) => k.id === ownerKey.id)).toBe(false);
    expect(await rejection(api.as(a.jar).admin.apiKeys.revoke({ id: ownerKey.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await api.as(owner).admin.apiKeys.list()).some((k) => k.id === ownerKey.id)).toBe(true);
  });
});
