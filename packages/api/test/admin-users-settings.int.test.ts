import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';
import { auditRows, db, makeUser, rejection } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
let admin: TestJar;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
  admin = (await makeUser(api, owner, { email: 'settings-admin@example.com', role: 'admin' })).jar;
});
afterAll(() => api?.close());

const DEFAULTS = {
  signupEnabled: false,
  defaultRole: 'pending',
  passwordMinLength: 10,
  requirePasswordChangeOnCreate: true,
  userDeleteDelayDays: 7,
  adminsCanCreateAdmins: false,
  sessionIdleTimeoutMinutes: 20160,
  sessionMaxAgeDays: 90,
  defaultQuotaGiB: null,
  lockoutFailures: 10,
  lockoutWindowMinutes: 15,
  lockoutWaitMinutes: 15,
  lockoutMaxWaitMinutes: 240,
  ipAttemptLimit: 100,
  auditRetentionDays: 365,
};
const storedRows = () => db(api).execute<{ key: string; value: unknown }[]>(`select key, value from settings where key <> 'instanceId' order by key`);

describe('admin.settings', () => {
  it('reads the defaults before anything is stored', async () => {
    expect(await api.as(admin).admin.settings.get()).toEqual(DEFAULTS);
    expect(await storedRows()).toEqual([]);
  });

  it('takes userDeleteDelayDays from 0 to 365 and stores only what was sent', async () => {
    expect((await api.as(admin).admin.settings.update({ userDeleteDelayDays: 0 })).userDeleteDelayDays).toBe(0);
    expect(await storedRows()).toEqual([{ key: 'userDeleteDelayDays', value: 0 }]);
    expect((await api.as(owner).admin.settings.update({ userDeleteDelayDays: 365 })).userDeleteDelayDays).toBe(365);
    expect((await api.as(admin).admin.settings.get()).userDeleteDelayDays).toBe(365);
  });

  it('refuses userDeleteDelayDays below 0, above 365 or fractional, naming the field, and changes nothing', async () => {
    const before = await storedRows();
    for (const userDeleteDelayDays of [-1, 366, 1.5]) {
      const err = await rejection(api.as(admin).admin.settings.update({ userDeleteDelayDays }));
      expect(err).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION' });
      expect(Object.keys(err.fields!)).toEqual(['userDeleteDelayDays']);
    }
    expect(await storedRows()).toEqual(before);
  });

  it('refuses unknown keys and wrong types', async () => {
    const before = await storedRows();
    const unknown = await rejection(api.as(admin).admin.settings.update({ signupEnabled: true, colour: 'blue' } as never));
    expect(unknown).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION' });
    expect(unknown.message).toContain('colour');
    expect(await rejection(api.as(admin).admin.settings.update({ defaultRole: 'admin' } as never))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await rejection(api.as(admin).admin.settings.update({ passwordMinLength: 7 }))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await rejection(api.as(admin).admin.settings.update({ signupEnabled: 'yes' } as never))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await storedRows()).toEqual(before);
  });

  it('changes only the keys a patch names; the others keep their stored values', async () => {
    await api.as(owner).admin.settings.update({ adminsCanCreateAdmins: true, passwordMinLength: 12 });
    const after = await api.as(owner).admin.settings.update({ signupEnabled: true });
    expect(after).toEqual({ ...DEFAULTS, userDeleteDelayDays: 365, adminsCanCreateAdmins: true, passwordMinLength: 12, signupEnabled: true });
    expect(await api.as(admin).admin.settings.get()).toEqual(after);
  });

  it('writes an audit row per update with who and what', async () => {
    const [adminRow] = await db(api).execute<{ id: string }[]>(`select id from users where email = 'settings-admin@example.com'`);
    const rows = await auditRows(api, 'settings.update');
    expect(rows.map((r) => [r.actor_id === adminRow!.id ? 'admin' : 'owner', r.details])).toEqual([
      ['admin', { userDeleteDelayDays: 0 }],
      ['owner', { userDeleteDelayDays: 365 }],
      ['owner', { adminsCanCreateAdmins: true, passwordMinLength: 12 }],
      ['owner', { signupEnabled: true }],
    ]);
  });

  it('falls back to the default for a stored value the schema no longer accepts', async () => {
    await db(api).execute(`update settings set value = '9999' where key = 'userDeleteDelayDays'`);
    expect((await api.as(admin).admin.settings.get()).userDeleteDelayDays).toBe(7);
  });
});
