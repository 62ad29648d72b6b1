import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, OWNER, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';
import { auditRows, db, makeUser, rejection, signIn } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
let admin: TestJar;
let adminId: string;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
  const a = await makeUser(api, owner, { email: 'create-admin@example.com', role: 'admin' });
  admin = a.jar;
  adminId = a.id;
});
afterAll(() => api?.close());

type Row = { email: string; role: string; quota_bytes: string | null; storage_label: string | null; must_change_password: boolean; password_hash: string };
const row = async (id: string) =>
  (await db(api).execute<Row[]>(`select email, role, quota_bytes, storage_label, must_change_password, password_hash from users where id = ?`, [id]))[0]!;
const countByEmail = async (email: string) =>
  (await db(api).execute<{ n: number }[]>(`select count(*)::int as n from users where lower(email) = lower(?)`, [email]))[0]!.n;

describe('admin.users.create', () => {
  it('creates the account and returns the admin DTO, never a hash', async () => {
    const { user, generatedPassword } = await api.as(admin).admin.users.create({
      email: '  Ada.Lovelace@Example.COM ',
      name: 'Ada Lovelace',
      role: 'user',
      password: 'analytical engine',
      mustChangePassword: false,
    });
    expect(generatedPassword).toBeUndefined();
    expect(user).toMatchObject({
      email: 'ada.lovelace@example.com',
      name: 'Ada Lovelace',
      role: 'user',
      status: 'active',
      avatarUrl: null,
      storageLabel: null,
      quotaBytes: null,
      usageBytes: 0,
      mustChangePassword: false,
      lastActiveAt: null,
      isActive: false,
      deletedAt: null,
      purgeAt: null,
      suspendedReason: null,
      suspendedUntil: null,
    });
    expect(JSON.stringify(user)).not.toMatch(/argon2|analytical engine|password_?hash/i);
    expect(Object.keys(user)).not.toContain('passwordHash');
    const stored = await row(user.id);
    expect(stored.email).toBe('ada.lovelace@example.com');
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    await signIn(api, 'ADA.LOVELACE@example.com', 'analytical engine');
  });

  it('refuses an email already in use, whatever its case, with CONFLICT EMAIL_TAKEN', async () => {
    await api.as(admin).admin.users.create({ email: 'dup@example.com', name: 'First', password: 'first password', mustChangePassword: false });
    for (const email of ['DUP@example.com', 'Dup@Example.Com', OWNER.email.toUpperCase()]) {
      const err = await rejection(api.as(admin).admin.users.create({ email, name: 'Second', password: 'second password' }));
      expect(err).toEqual({
        code: 'CONFLICT',
        appCode: 'EMAIL_TAKEN',
        message: 'That email address is already in use',
        fields: { email: ['That email address is already in use'] },
      });
    }
    expect(await countByEmail('dup@example.com')).toBe(1);
  });

  it('normalises the storage label and refuses a taken one after normalisation with STORAGE_LABEL_TAKEN', async () => {
    const { user } = await api.as(admin).admin.users.create({
      email: 'label1@example.com',
      name: 'Label One',
      password: 'label password',
      storageLabel: 'Shared',
    });
    expect(user.storageLabel).toBe('shared');
    expect((await row(user.id)).storage_label).toBe('shared');
    for (const storageLabel of ['shared', 'SHARED', ' Sha red! ']) {
      const err = await rejection(
        api.as(admin).admin.users.create({ email: `label-${storageLabel.trim()}@example.com`.replace(/[ !]/g, ''), name: 'L', password: 'label password', storageLabel }),
      );
      expect(err).toMatchObject({ code: 'CONFLICT', appCode: 'STORAGE_LABEL_TAKEN', message: 'That storage label is already in use' });
      expect(err.fields).toEqual({ storageLabel: ['That storage label is already in use'] });
    }
    const dots = await rejection(api.as(admin).admin.users.create({ email: 'dots@example.com', name: 'D', password: 'label password', storageLabel: '..' }));
    expect(dots).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { storageLabel: [expect.any(String)] } });
    expect(await countByEmail('dots@example.com')).toBe(0);
  });

  it('stores quotas given in GiB as bytes; 0 and empty mean unlimited', async () => {
    const make = (email: string, quotaGiB?: number | null) =>
      api.as(admin).admin.users.create({ email, name: 'Quota', password: 'quota password', ...(quotaGiB === undefined ? {} : { quotaGiB }) });
    const half = await make('half@example.com', 0.5);
    expect(half.user.quotaBytes).toBe(536_870_912);
    expect(Number((await row(half.user.id)).quota_bytes)).toBe(536_870_912);
    const ten = await make('ten@example.com', 10);
    expect(ten.user.quotaBytes).toBe(10 * 1024 ** 3);
    for (const [email, q] of [['zero@example.com', 0], ['null@example.com', null], ['none@example.com', undefined]] as const) {
      const { user } = await make(email, q);
      expect(user.quotaBytes).toBeNull();
      expect((await row(user.id)).quota_bytes).toBeNull();
    }
    expect(await rejection(make('negative@example.com', -1))).toMatchObject({ code: 'BAD_REQUEST', fields: { quotaGiB: [expect.any(String)] } });
  });

  it('returns a generated password once; it works, is stored only hashed, and must be changed by default', async () => {
    const { user, generatedPassword } = await api.as(admin).admin.users.create({
      email: 'generated@example.com',
      name: 'Gen Erated',
      generatePassword: true,
    });
    expect(generatedPassword).toEqual(expect.any(String));
    expect(generatedPassword!.length).toBeGreaterThanOrEqual(12);
    expect(user.mustChangePassword).toBe(true);
    const stored = await row(user.id);
    expect(stored.password_hash).not.toContain(generatedPassword);
    expect(stored.must_change_password).toBe(true);
    expect(JSON.stringify(await api.as(admin).admin.users.get({ id: user.id }))).not.toContain(generatedPassword);

    const jar = await signIn(api, 'generated@example.com', generatedPassword!);
    expect((await api.as(jar).me.get()).mustChangePassword).toBe(true);
    expect(await rejection(api.as(jar).users.search({ query: 'ada' }))).toMatchObject({
      code: 'FORBIDDEN',
      appCode: 'PASSWORD_CHANGE_REQUIRED',
    });
    const again = await api.as(admin).admin.users.create({ email: 'generated2@example.com', name: 'Gen Two', generatePassword: true });
    expect(again.generatedPassword).not.toBe(generatedPassword);
  });

  it('needs a password or generatePassword, and applies the instance minimum length', async () => {
    const none = await rejection(api.as(admin).admin.users.create({ email: 'nopass@example.com', name: 'No Pass' }));
    expect(none).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { password: [expect.any(String)] } });
    const short = await rejection(api.as(admin).admin.users.create({ email: 'short@example.com', name: 'Short', password: '123456789' }));
    expect(short).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', message: 'At least 10 characters' });
    expect(short.fields).toEqual({ password: ['At least 10 characters'] });
    expect(await countByEmail('nopass@example.com')).toBe(0);
    expect(await countByEmail('short@example.com')).toBe(0);
  });

  it('takes must-change from requirePasswordChangeOnCreate unless the request says otherwise', async () => {
    const make = (email: string, mustChangePassword?: boolean) =>
      api.as(admin).admin.users.create({ email, name: 'Must', password: 'must password', ...(mustChangePassword === undefined ? {} : { mustChangePassword }) });
    expect((await make('must-default@example.com')).user.mustChangePassword).toBe(true);
    expect((await make('must-explicit-false@example.com', false)).user.mustChangePassword).toBe(false);
    await api.as(owner).admin.settings.update({ requirePasswordChangeOnCreate: false });
    try {
      const { user } = await make('must-off@example.com');
      expect(user.mustChangePassword).toBe(false);
      expect((await row(user.id)).must_change_password).toBe(false);
      expect((await make('must-explicit-true@example.com', true)).user.mustChangePassword).toBe(true);
    } finally {
      await api.as(owner).admin.settings.update({ requirePasswordChangeOnCreate: true });
    }
  });

  it('lets only the owner create admins unless adminsCanCreateAdmins is on; nobody creates an owner', async () => {
    const denied = await rejection(
      api.as(admin).admin.users.create({ email: 'new-admin@example.com', name: 'New Admin', role: 'admin', password: 'admin password' }),
    );
    expect(denied).toEqual({ code: 'FORBIDDEN', appCode: 'FORBIDDEN', message: 'Only the owner can grant or remove the admin role', fields: undefined });
    expect(await countByEmail('new-admin@example.com')).toBe(0);

    const byOwner = await api.as(owner).admin.users.create({ email: 'new-admin@example.com', name: 'New Admin', role: 'admin', password: 'admin password' });
    expect(byOwner.user.role).toBe('admin');

    await api.as(owner).admin.settings.update({ adminsCanCreateAdmins: true });
    try {
      const byAdmin = await api.as(admin).admin.users.create({ email: 'admin-made@example.com', name: 'Admin Made', role: 'admin', password: 'admin password' });
      expect((await row(byAdmin.user.id)).role).toBe('admin');
    } finally {
      await api.as(owner).admin.settings.update({ adminsCanCreateAdmins: false });
    }
    for (const jar of [owner, admin]) {
      const err = await rejection(api.as(jar).admin.users.create({ email: 'second-owner@example.com', name: 'O', role: 'owner' as never, password: 'owner password' }));
      expect(err).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { role: [expect.any(String)] } });
    }
    expect(await countByEmail('second-owner@example.com')).toBe(0);
  });

  it('creates pending accounts that can sign in but wait for approval', async () => {
    const pending = await makeUser(api, admin, { email: 'pending@example.com', role: 'pending' });
    expect((await api.as(pending.jar).me.get()).role).toBe('pending');
    expect(await rejection(api.as(pending.jar).users.search({ query: 'ada' }))).toMatchObject({ code: 'FORBIDDEN', appCode: 'PENDING_APPROVAL' });
  });

  it('audits each creation with the creator, the new user and the role', async () => {
    const { user } = await api.as(admin).admin.users.create({ email: 'audited@example.com', name: 'Audited', password: 'audit password' });
    expect(await auditRows(api, 'user.create', user.id)).toEqual([
      { actor_id: adminId, action: 'user.create', target_id: user.id, details: { role: 'user' } },
    ]);
  });
});
