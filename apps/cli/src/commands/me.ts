import { defineCommand, defineGroup } from '../cli/command.ts';
import { UsageError } from '../cli/errors.ts';
import { dateTime, done, keyValues, plural } from '../cli/output.ts';
import { askNewPassword, askSecret, canPrompt, readStdinLines } from '../cli/prompt.ts';
import { parseWhen } from '../cli/time.ts';
import { sessionTable } from '../format/session.ts';
import { userDetails } from '../format/user.ts';

/** The signed-in user's own account: `roster me …`. */

const get = defineCommand({
  name: 'get',
  summary: 'Show your account',
  flags: {},
  examples: ['roster me', 'roster me get --json | jq -r .id'],
  run: (ctx) => ctx.api().me.get.query(),
  human: (user, ctx) => userDetails(user, ctx.style, { self: true }),
});

const update = defineCommand({
  name: 'update',
  summary: 'Change your name or avatar',
  description: 'Email, role and quota are for admins to change (`roster users update`).',
  flags: {
    name: { type: 'string', short: 'n', value: 'NAME', description: 'New display name' },
    'avatar-url': { type: 'string', value: 'URL', description: 'Avatar image URL; "" removes it' },
  },
  examples: ['roster me update --name "Olga O."', 'roster me update --avatar-url https://example.com/olga.png', 'roster me update --avatar-url ""'],
  async run(ctx, { flags }) {
    if (flags.name === undefined && flags['avatar-url'] === undefined) throw new UsageError('nothing to change', 'give --name or --avatar-url');
    const avatarUrl = flags['avatar-url'] === undefined ? undefined : flags['avatar-url'] || null;
    return ctx.api().me.update.mutate({ name: flags.name, avatarUrl });
  },
  human: (user, ctx) => `${done(ctx.style, 'Profile saved')}\n\n${userDetails(user, ctx.style, { self: true })}`,
});

const password = defineCommand({
  name: 'password',
  summary: 'Change your password; your other sessions end',
  description: 'Asks for the current password and the new one (twice) without echoing them.\nWith --password-stdin, stdin gives the current password on the first line and the new one on the second.',
  flags: { 'password-stdin': { type: 'boolean', description: 'Read the current and the new password from two lines of stdin' } },
  examples: ['roster me password', 'printf "%s\\n%s\\n" "$OLD" "$NEW" | roster me password --password-stdin'],
  async run(ctx, { flags }) {
    let current: string;
    let next: string;
    if (flags['password-stdin']) {
      [current = '', next = ''] = await readStdinLines(2);
      if (!current || !next) throw new UsageError('--password-stdin needs two lines: the current password, then the new one');
    } else {
      if (!canPrompt()) throw new UsageError('no terminal to ask for the passwords on', 'pipe them in with --password-stdin (current, then new, one per line)');
      current = await askSecret('Current password: ');
      next = await askNewPassword('New password: ');
    }
    const user = await ctx.api().me.changePassword.mutate({ current, next });
    return { id: user.id, email: user.email, mustChangePassword: user.mustChangePassword };
  },
  human: (_r, ctx) => done(ctx.style, 'Password changed; your other sessions have ended'),
});

const sessionsList = defineCommand({
  name: 'list',
  summary: 'List your sessions',
  flags: {},
  examples: ['roster me sessions', 'roster me sessions list --json'],
  run: (ctx) => ctx.api().me.sessions.list.query(),
  human: (sessions, ctx) => `${sessionTable(sessions, ctx.style)}\n${ctx.style.dim(plural(sessions.length, 'session'))}`,
});

const sessionsRevoke = defineCommand({
  name: 'revoke',
  summary: 'End one or more of your sessions',
  args: [{ name: 'id', description: 'Session id (from `roster me sessions`)', required: true, variadic: true }],
  flags: {},
  examples: ['roster me sessions revoke 3f2a9c…'],
  async run(ctx, { args }) {
    const api = ctx.api().me.sessions;
    for (const id of args) await api.revoke.mutate({ sessionId: id.trim().toLowerCase() });
    return { revoked: args.length };
  },
  human: (r, ctx) => done(ctx.style, `Ended ${plural(r.revoked, 'session')}`),
});

const sessions = defineGroup({
  name: 'sessions',
  summary: 'List or end your sessions',
  children: [sessionsList, sessionsRevoke],
  default: 'list',
  examples: ['roster me sessions', 'roster me sessions revoke 3f2a9c…'],
});

const statusGet = defineCommand({
  name: 'get',
  summary: 'Show your status',
  flags: {},
  examples: ['roster me status'],
  run: (ctx) => ctx.api().me.status.get.query(),
  human: (st, ctx) =>
    st.emoji || st.message
      ? `${[st.emoji, st.message].filter(Boolean).join(' ')}${st.expiresAt ? ctx.style.dim(` (until ${dateTime(st.expiresAt)})`) : ''}`
      : 'No status set.',
});

const statusSet = defineCommand({
  name: 'set',
  summary: 'Set your status (replaces the whole status)',
  args: [{ name: 'message', description: 'Status text, up to 280 characters' }],
  flags: {
    emoji: { type: 'string', short: 'e', value: 'EMOJI', description: 'An emoji shown before the message' },
    until: { type: 'string', value: 'WHEN', description: 'Clear it after a duration (90m, 8h, 2d) or at an ISO date/time' },
  },
  examples: ['roster me status set "In a meeting" --emoji 📅 --until 1h', 'roster me status set --emoji 🌴 --until 2027-01-05'],
  async run(ctx, { flags, args }) {
    if (!args[0] && !flags.emoji) throw new UsageError('give a MESSAGE, --emoji, or both', 'to remove your status use `roster me status clear`');
    const expiresAt = flags.until === undefined ? null : parseWhen(flags.until, '--until');
    return ctx.api().me.status.update.mutate({ message: args[0] ?? null, emoji: flags.emoji ?? null, expiresAt });
  },
  human: (st, ctx) => done(ctx.style, `Status: ${[st.emoji, st.message].filter(Boolean).join(' ')}${st.expiresAt ? ` (until ${dateTime(st.expiresAt)})` : ''}`),
});

const statusClear = defineCommand({
  name: 'clear',
  summary: 'Remove your status',
  flags: {},
  examples: ['roster me status clear'],
  run: (ctx) => ctx.api().me.status.update.mutate({ emoji: null, message: null, expiresAt: null }),
  human: (_st, ctx) => done(ctx.style, 'Status cleared'),
});

const status = defineGroup({
  name: 'status',
  summary: 'Show, set or clear your status message',
  children: [statusGet, statusSet, statusClear],
  default: 'get',
  examples: ['roster me status', 'roster me status set "Out sick" --emoji 🤒 --until 2d', 'roster me status clear'],
});

/** JSON when it parses (numbers, true, {"a":1}), text otherwise, like `roster call -F`. */
function jsonValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

const settingsGet = defineCommand({
  name: 'get',
  summary: 'Show your personal settings (a JSON object apps can use)',
  args: [{ name: 'key', description: 'Only this key' }],
  flags: {},
  examples: ['roster me settings', 'roster me settings get theme'],
  async run(ctx, { args }) {
    const all = await ctx.api().me.settings.get.query();
    return args[0] ? { [args[0]]: all[args[0]] ?? null } : all;
  },
  human(all, ctx) {
    const entries = Object.entries(all);
    if (!entries.length) return 'No personal settings yet: `roster me settings set key=value`.';
    return keyValues(entries.map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]), ctx.style);
  },
});

const settingsSet = defineCommand({
  name: 'set',
  summary: 'Set personal settings: key=value … (other keys stay)',
  description: 'Values are JSON when they parse (42, true, null, ["a"], {"x":1}) and text otherwise. Use `unset` to remove a key.',
  args: [{ name: 'key=value', description: 'A key and its value; give several at once', required: true, variadic: true }],
  flags: { unset: { type: 'string', multiple: true, value: 'KEY', description: 'Also remove these keys' } },
  examples: ['roster me settings set theme=dark pageSize=50', 'roster me settings set "favourites=[\\"a\\",\\"b\\"]"'],
  async run(ctx, { flags, args }) {
    const changes = Object.fromEntries(
      args.map((a) => {
        const eq = a.indexOf('=');
        if (eq < 1) throw new UsageError(`"${a}" must look like key=value`);
        return [a.slice(0, eq).trim(), jsonValue(a.slice(eq + 1))];
      }),
    );
    const api = ctx.api().me.settings;
    // The procedure replaces the whole document, so read, merge, write.
    const next: Record<string, unknown> = { ...(await api.get.query()), ...changes };
    for (const key of flags.unset) delete next[key];
    return api.update.mutate(next as Parameters<typeof api.update.mutate>[0]);
  },
  human: (all, ctx) => `${done(ctx.style, 'Settings saved')}\n${keyValues(Object.entries(all).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]), ctx.style)}`,
});

const settingsUnset = defineCommand({
  name: 'unset',
  summary: 'Remove personal settings by key',
  args: [{ name: 'key', description: 'Keys to remove', required: true, variadic: true }],
  flags: {},
  examples: ['roster me settings unset theme'],
  async run(ctx, { args }) {
    const api = ctx.api().me.settings;
    const next: Record<string, unknown> = { ...(await api.get.query()) };
    for (const key of args) delete next[key];
    return api.update.mutate(next as Parameters<typeof api.update.mutate>[0]);
  },
  human: (_all, ctx) => done(ctx.style, 'Settings saved'),
});

const settings = defineGroup({
  name: 'settings',
  summary: 'Your personal settings (free-form JSON, up to 64 KiB)',
  children: [settingsGet, settingsSet, settingsUnset],
  default: 'get',
  examples: ['roster me settings', 'roster me settings set theme=dark', 'roster me settings unset theme'],
});

export const me = defineGroup({
  name: 'me',
  summary: 'Your own account: profile, password, sessions, status, settings',
  children: [get, update, password, sessions, status, settings],
  default: 'get',
  examples: ['roster me', 'roster me password', 'roster me status set "On holiday" --emoji 🌴 --until 2w', 'roster me sessions'],
});
