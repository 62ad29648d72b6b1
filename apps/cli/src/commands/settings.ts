import type { Outputs } from '../api-types.ts';
import { suggest } from '../cli/args.ts';
import { defineCommand, defineGroup } from '../cli/command.ts';
import { UsageError } from '../cli/errors.ts';
import { done, keyValues, table, type Style } from '../cli/output.ts';

type Settings = Outputs['admin']['settings']['get'];
type Value = Settings[keyof Settings];

/** One line each, for `settings get`; a key the server adds later still shows, just without a note. */
const NOTES: Record<string, string> = {
  signupEnabled: 'anyone can sign up on the web',
  defaultRole: 'role of a new sign-up (pending waits for approval)',
  passwordMinLength: 'shortest password accepted',
  requirePasswordChangeOnCreate: 'users created by an admin choose a new password first',
  userDeleteDelayDays: 'grace period in days between deleting a user and the purge',
  adminsCanCreateAdmins: 'admins may make other admins (otherwise only the owner)',
  sessionIdleTimeoutMinutes: 'a session ends after this many minutes without a request',
  sessionMaxAgeDays: 'a session ends this many days after sign-in, however much it is used',
  defaultQuotaGiB: 'storage quota (GiB) of accounts made by sign-up or invitation; none = unlimited',
  lockoutFailures: 'failed sign-ins that hold an account (within the window)',
  lockoutWindowMinutes: 'how long failures count; also the quiet period that resets the wait',
  lockoutWaitMinutes: 'first hold, in minutes; each further hold doubles it',
  lockoutMaxWaitMinutes: 'longest hold, in minutes',
  ipAttemptLimit: 'credential attempts one address may make within the window',
  auditRetentionDays: 'audit events older than this many days are pruned daily (behind a checkpoint)',
};

/** Settings that are a number or none (unlimited): their current value may be null, so it cannot tell their type. */
const NUMBER_OR_NONE = new Set(['defaultQuotaGiB']);

const show = (v: unknown, s: Style) =>
  typeof v === 'boolean' ? (v ? s.green('true') : s.yellow('false')) : v === null ? s.dim('none') : String(v);

const get = defineCommand({
  name: 'get',
  summary: 'Show the instance settings',
  args: [{ name: 'key', description: 'Only this setting' }],
  flags: {},
  examples: ['roster settings get', 'roster settings get userDeleteDelayDays', 'roster settings get --json'],
  async run(ctx, { args }) {
    const settings = await ctx.api().admin.settings.get.query();
    if (!args[0]) return settings;
    return { [checkKey(args[0], settings)]: settings[args[0] as keyof Settings] } as Partial<Settings>;
  },
  human(settings, ctx) {
    const s = ctx.style;
    return table(
      Object.entries(settings),
      [
        { header: 'SETTING', cell: ([k]) => k },
        { header: 'VALUE', cell: ([, v]) => show(v, s) },
        { header: 'MEANING', cell: ([k]) => s.dim(NOTES[k] ?? '') },
      ],
      s,
    );
  },
});

function checkKey(key: string, settings: Settings): keyof Settings {
  if (key in settings) return key as keyof Settings;
  const guess = suggest(key, Object.keys(settings));
  throw new UsageError(`there is no setting "${key}"`, guess ? `did you mean ${guess}? \`roster settings get\` lists them all` : '`roster settings get` lists them all');
}

/** Typed from the setting's current value, so `true`, `7` and `user` each become what the server expects. */
function coerce(key: string, raw: string, current: Value): Value {
  if (NUMBER_OR_NONE.has(key) && /^(none|null|unlimited)?$/i.test(raw.trim())) return null;
  if (typeof current === 'boolean') {
    if (/^(true|yes|on|1)$/i.test(raw)) return true;
    if (/^(false|no|off|0)$/i.test(raw)) return false;
    throw new UsageError(`${key} is true or false (got "${raw}")`);
  }
  if (typeof current === 'number' || NUMBER_OR_NONE.has(key)) {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n))
      throw new UsageError(`${key} is a number${NUMBER_OR_NONE.has(key) ? ' or none' : ''} (got "${raw}")`);
    return n;
  }
  return raw as Value;
}

const set = defineCommand({
  name: 'set',
  summary: 'Change instance settings: key=value …',
  description: 'Values are typed like the setting: true/false (also yes/no, on/off), numbers (none for unlimited quota), or text.\nThe server checks ranges, e.g. userDeleteDelayDays from 0 to 365.',
  args: [{ name: 'key=value', description: 'A setting and its new value; give several at once', required: true, variadic: true }],
  flags: {},
  examples: [
    'roster settings set signupEnabled=true defaultRole=pending',
    'roster settings set userDeleteDelayDays=30',
    'roster settings set sessionIdleTimeoutMinutes=60 sessionMaxAgeDays=7',
    'roster settings set defaultQuotaGiB=10',
    'roster settings set defaultQuotaGiB=none',
    'roster settings set passwordMinLength=12 --json',
  ],
  async run(ctx, { args }) {
    const pairs = args.map((a) => {
      const eq = a.indexOf('=');
      if (eq < 1) throw new UsageError(`"${a}" must look like key=value`, 'e.g. roster settings set signupEnabled=true');
      return [a.slice(0, eq).trim(), a.slice(eq + 1).trim()] as const;
    });
    const api = ctx.api().admin.settings;
    const before = await api.get.query();
    const patch: Record<string, Value> = {};
    for (const [key, raw] of pairs) patch[checkKey(key, before)] = coerce(key, raw, before[key as keyof Settings]);
    const after = await api.update.mutate(patch);
    return { before, after, changed: Object.keys(patch) };
  },
  human({ before, after, changed }, ctx) {
    const s = ctx.style;
    const rows = changed.map((k): [string, string] => {
      const [a, b] = [before[k as keyof Settings], after[k as keyof Settings]];
      return [k, a === b ? `${show(b, s)} ${s.dim('(unchanged)')}` : `${show(a, s)} → ${s.bold(show(b, s))}`];
    });
    return `${done(s, 'Settings saved')}\n${keyValues(rows, s).replace(/^/gm, '  ')}`;
  },
});

export const settings = defineGroup({
  name: 'settings',
  summary: 'Read and change instance settings (sign-up, roles, passwords, default quota, deletion delay, session timeouts)',
  children: [get, set],
  default: 'get',
  examples: ['roster settings', 'roster settings set signupEnabled=true', 'roster settings get --json'],
});
