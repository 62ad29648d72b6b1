import { Setting } from '@roster/db';
import { z } from 'zod';
import type { CoreDeps } from '../deps.ts';

const fields = {
  signupEnabled: z.boolean(),
  defaultRole: z.enum(['pending', 'user'], { message: 'Choose pending or user' }),
  // Messages people read next to the settings form's fields and in the CLI.
  passwordMinLength: z.number().int('Use a whole number').min(8, 'At least 8').max(128, 'At most 128'),
  requirePasswordChangeOnCreate: z.boolean(),
  userDeleteDelayDays: z.number().int('Use a whole number of days').min(0, 'Cannot be negative').max(365, 'At most 365 days'),
  adminsCanCreateAdmins: z.boolean(),
  // A session ends after this long without a request, and this long after sign-in whatever its use.
  sessionIdleTimeoutMinutes: z.number().int('Use a whole number of minutes').min(5, 'At least 5 minutes').max(525_600, 'At most 365 days'),
  sessionMaxAgeDays: z.number().int('Use a whole number of days').min(1, 'At least 1 day').max(365, 'At most 365 days'),
  /** Storage quota (GiB) of accounts made by sign-up or invitation; null = unlimited. */
  defaultQuotaGiB: z
    .number('Enter a number of GiB, or leave empty for unlimited')
    .min(0, 'Cannot be negative')
    .max(1024 * 1024, 'At most 1048576 GiB (1 PiB)')
    .nullable(),
  // Brute-force protection (Keycloak's model, tighter defaults).
  lockoutFailures: z.number().int('Use a whole number').min(1, 'At least 1').max(1000, 'At most 1000'),
  lockoutWindowMinutes: z.number().int('Use a whole number of minutes').min(1, 'At least 1 minute').max(1440, 'At most 1440 minutes'),
  lockoutWaitMinutes: z.number().int('Use a whole number of minutes').min(1, 'At least 1 minute').max(1440, 'At most 1440 minutes'),
  lockoutMaxWaitMinutes: z.number().int('Use a whole number of minutes').min(1, 'At least 1 minute').max(10080, 'At most 10080 minutes (a week)'),
  ipAttemptLimit: z.number().int('Use a whole number').min(1, 'At least 1').max(1000000, 'At most 1000000'),
  /** Audit events older than this are pruned daily (a checkpoint keeps the chain verifiable). */
  auditRetentionDays: z.number().int('Use a whole number of days').min(1, 'At least 1 day').max(36500, 'At most 36500 days'),
};

/** Instance-wide settings with their defaults; each key is one row of `settings`. */
export const instanceSettingsSchema = z.object({
  signupEnabled: fields.signupEnabled.default(false),
  defaultRole: fields.defaultRole.default('pending'),
  passwordMinLength: fields.passwordMinLength.default(10),
  requirePasswordChangeOnCreate: fields.requirePasswordChangeOnCreate.default(true),
  userDeleteDelayDays: fields.userDeleteDelayDays.default(7),
  adminsCanCreateAdmins: fields.adminsCanCreateAdmins.default(false),
  sessionIdleTimeoutMinutes: fields.sessionIdleTimeoutMinutes.default(14 * 24 * 60),
  sessionMaxAgeDays: fields.sessionMaxAgeDays.default(90),
  defaultQuotaGiB: fields.defaultQuotaGiB.default(null),
  lockoutFailures: fields.lockoutFailures.default(10),
  lockoutWindowMinutes: fields.lockoutWindowMinutes.default(15),
  lockoutWaitMinutes: fields.lockoutWaitMinutes.default(15),
  lockoutMaxWaitMinutes: fields.lockoutMaxWaitMinutes.default(240),
  ipAttemptLimit: fields.ipAttemptLimit.default(100),
  auditRetentionDays: fields.auditRetentionDays.default(365),
});
export type InstanceSettings = z.infer<typeof instanceSettingsSchema>;
/** Built from the fields without defaults: zod 4 fills an absent key with its default even under `.partial()`, which would reset it. */
export const instanceSettingsPatchSchema = z.object(fields).partial().strict();
export type InstanceSettingsPatch = z.infer<typeof instanceSettingsPatchSchema>;

export async function getSettings(deps: Pick<CoreDeps, 'em'>): Promise<InstanceSettings> {
  const rows = await deps.em.find(Setting, {});
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const shape = instanceSettingsSchema.shape;
  // A stored value that no longer fits the schema falls back to its default rather than breaking the instance.
  const merged: Record<string, unknown> = {};
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    const parsed = shape[key].safeParse(stored[key]);
    merged[key] = parsed.success ? parsed.data : shape[key].parse(undefined);
  }
  return merged as InstanceSettings;
}

export async function updateSettings(deps: Pick<CoreDeps, 'em'>, patch: InstanceSettingsPatch): Promise<InstanceSettings> {
  const valid = instanceSettingsPatchSchema.parse(patch);
  await deps.em.transactional(async (em) => {
    for (const [key, value] of Object.entries(valid)) {
      if (value === undefined) continue;
      // `value` is NOT NULL jsonb: a null setting is kept as no row, which reads back as its default (null for every nullable one).
      if (value === null) {
        await em.nativeDelete(Setting, { key });
        continue;
      }
      await em.upsert(Setting, { key, value, updatedAt: new Date() });
    }
  });
  return getSettings(deps);
}
