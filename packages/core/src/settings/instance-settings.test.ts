import { describe, expect, it } from 'vitest';
import { instanceSettingsPatchSchema, instanceSettingsSchema } from './instance-settings.ts';

describe('instance settings schema', () => {
  it('has the defaults of issue 3', () => {
    expect(instanceSettingsSchema.parse({})).toEqual({
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
    });
  });

  it('bounds the brute-force settings to whole, positive numbers', () => {
    const ok = (patch: object) => instanceSettingsPatchSchema.safeParse(patch).success;
    expect(ok({ lockoutFailures: 1, lockoutWindowMinutes: 1440, lockoutMaxWaitMinutes: 10080, ipAttemptLimit: 5 })).toBe(true);
    expect(ok({ lockoutFailures: 0 })).toBe(false);
    expect(ok({ lockoutWaitMinutes: 1.5 })).toBe(false);
    expect(ok({ lockoutMaxWaitMinutes: 10081 })).toBe(false);
    expect(ok({ ipAttemptLimit: -1 })).toBe(false);
  });

  it('bounds userDeleteDelayDays to whole days in 0–365', () => {
    const ok = (v: unknown) => instanceSettingsPatchSchema.safeParse({ userDeleteDelayDays: v }).success;
    expect([0, 1, 7, 365].map(ok)).toEqual([true, true, true, true]);
    expect([-1, 366, 1.5, '7', null].map(ok)).toEqual([false, false, false, false, false]);
  });

  it('bounds passwordMinLength to 8–128 and defaultRole to pending|user', () => {
    const ok = (patch: object) => instanceSettingsPatchSchema.safeParse(patch).success;
    expect(ok({ passwordMinLength: 8 })).toBe(true);
    expect(ok({ passwordMinLength: 7 })).toBe(false);
    expect(ok({ passwordMinLength: 129 })).toBe(false);
    expect(ok({ defaultRole: 'user' })).toBe(true);
    expect(ok({ defaultRole: 'admin' })).toBe(false);
    expect(ok({ defaultRole: 'owner' })).toBe(false);
  });

  it('takes partial patches and refuses unknown keys', () => {
    expect(instanceSettingsPatchSchema.parse({ signupEnabled: true })).toEqual({ signupEnabled: true });
    expect(instanceSettingsPatchSchema.parse({})).toEqual({});
    const res = instanceSettingsPatchSchema.safeParse({ signupEnabled: true, colour: 'blue' });
    expect(res.success).toBe(false);
    expect(res.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['colour'] });
  });
});
