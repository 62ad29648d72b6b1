import { version } from '$app/env';
import { loadEnv } from '@roster/config';
import { formatCount } from '#lib/format.ts';
import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import { actionFailure, checked, fieldFailure, optionalNumber, text } from '#lib/server/form.ts';
import type { Actions, PageServerLoad } from './$types';

/** The instance settings (issue 3), then what an admin can learn about this instance and their session. */
export const load: PageServerLoad = async (event) => {
  const { me } = await event.parent();
  const settings = await api(event)
    .admin.settings.get()
    .catch((err) => failLoad(err, event, 'admin.settings.get'));
  const { total, totalEstimated } = await api(event)
    .admin.users.list({ page: 1, pageSize: 1 })
    .catch((err) => failLoad(err, event, 'admin.users.list'));
  // The limiter lives in Redis: without it the page still works, saying the list is unavailable.
  const holds = await api(event)
    .admin.security.holds.list()
    .catch((err) => {
      console.warn('admin settings: brute-force holds unavailable:', (err as Error).message);
      return null;
    });
  // SvelteKit's default version name is the build time in milliseconds.
  const built = /^\d{12,}$/.test(version) ? new Date(Number(version)).toISOString() : null;
  return {
    settings,
    holds,
    instance: {
      address: event.url.origin,
      build: built ?? version,
      builtAt: built,
      node: process.version,
      dataDir: loadEnv().ROSTER_DATA_DIR,
      users: formatCount(total, totalEstimated),
    },
    account: { ...me, sessionExpiresAt: event.locals.ctx.session?.expiresAt.toISOString() ?? null },
  };
};

const NUMBERS = [
  'passwordMinLength',
  'userDeleteDelayDays',
  'sessionIdleTimeoutMinutes',
  'sessionMaxAgeDays',
  'lockoutFailures',
  'lockoutWindowMinutes',
  'lockoutWaitMinutes',
  'lockoutMaxWaitMinutes',
  'ipAttemptLimit',
  'auditRetentionDays',
] as const;
const FIELDS = ['signupEnabled', 'defaultRole', 'requirePasswordChangeOnCreate', 'adminsCanCreateAdmins', 'defaultQuotaGiB', ...NUMBERS];

export const actions: Actions = {
  /** Saves the whole form as one patch; the router's schema bounds every value and answers per field. */
  save: async (event) => {
    const f = await event.request.formData();
    const values = Object.fromEntries(FIELDS.map((k) => [k, text(f, k)]));
    // An empty or non-numeric box gets a plain message rather than zod's "expected number, received NaN".
    for (const key of NUMBERS) {
      if (!Number.isFinite(optionalNumber(f, key) ?? Number.NaN)) return fieldFailure(key, 'Enter a whole number', values);
    }
    // Empty means unlimited; anything else must be a number.
    const defaultQuotaGiB = optionalNumber(f, 'defaultQuotaGiB');
    if (defaultQuotaGiB !== null && !Number.isFinite(defaultQuotaGiB)) return fieldFailure('defaultQuotaGiB', 'Enter a number of GiB, or leave it empty for unlimited', values);
    const number = (key: string) => optionalNumber(f, key)!;
    try {
      await api(event).admin.settings.update({
        signupEnabled: checked(f, 'signupEnabled'),
        defaultRole: text(f, 'defaultRole') as 'pending' | 'user',
        requirePasswordChangeOnCreate: checked(f, 'requirePasswordChangeOnCreate'),
        adminsCanCreateAdmins: checked(f, 'adminsCanCreateAdmins'),
        ...Object.fromEntries(NUMBERS.map((k) => [k, number(k)])),
        defaultQuotaGiB,
      });
      return { toast: 'Settings saved' };
    } catch (err) {
      return actionFailure(err, event, 'admin.settings.update', FIELDS, values);
    }
  },
  /** Lets a held account or address try again at once. */
  release: async (event) => {
    const f = await event.request.formData();
    const kind = text(f, 'kind') === 'ip' ? 'ip' : 'account';
    const key = text(f, 'key');
    try {
      await api(event).admin.security.holds.release({ kind, key });
      return { toast: `Released ${key}` };
    } catch (err) {
      return actionFailure(err, event, 'admin.security.holds.release');
    }
  },
};
