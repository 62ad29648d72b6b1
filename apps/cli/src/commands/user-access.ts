import { defineCommand } from '../cli/command.ts';
import { CliError, UsageError } from '../cli/errors.ts';
import { dateTime, done, plural, shownOnce } from '../cli/output.ts';
import { confirm, mustConfirm, readPassword } from '../cli/prompt.ts';
import { parseWhen } from '../cli/time.ts';
import { sessionTable } from '../format/session.ts';
import { userDetails, type User } from '../format/user.ts';
import { findUser, USER_ARG } from '../user-ref.ts';

/** Passwords, sessions, suspension and ownership: `roster users …` verbs about getting in. */

const userArg = [{ name: 'user', description: USER_ARG, required: true }] as const;
const yes = { type: 'boolean', short: 'y', description: 'Do it without asking' } as const;
const who = (u: Pick<User, 'name' | 'email'>) => `${u.name} <${u.email}>`;

export const resetPassword = defineCommand({
  name: 'reset-password',
  summary: 'Set a random password, shown once; ends their sessions',
  description: 'The user must choose a new password at the next sign-in. Asks first on a terminal; --yes skips the question.',
  args: userArg,
  flags: { yes },
  examples: ['roster users reset-password uma@example.com', 'roster users reset-password uma@example.com --yes --json | jq -r .password'],
  async run(ctx, { flags, args }) {
    const ask = mustConfirm(flags.yes, 'resetting a password');
    const user = await findUser(ctx, args[0]!);
    if (ask) await confirm(`Reset the password of ${who(user)}? Their sessions end now.`);
    const { password } = await ctx.api().admin.users.resetPassword.mutate({ id: user.id });
    return { id: user.id, email: user.email, name: user.name, password };
  },
  human: (r, ctx) =>
    [done(ctx.style, `New password for ${who(r)}; they must change it at the next sign-in`), ...shownOnce('Password', r.password, ctx.style)].join('\n'),
});

export const resetLink = defineCommand({
  name: 'reset-link',
  summary: 'Make a one-time password reset link (valid 24 hours)',
  description: 'Earlier unused links of the user stop working. The link is shown once.',
  args: userArg,
  flags: {},
  examples: ['roster users reset-link uma@example.com', 'roster users reset-link uma@example.com --json | jq -r .url'],
  async run(ctx, { args }) {
    const user = await findUser(ctx, args[0]!);
    const link = await ctx.api().admin.users.passwordResetLink.mutate({ id: user.id });
    return { id: user.id, email: user.email, name: user.name, url: `${ctx.conn.url}${link.path}`, ...link };
  },
  human: (r, ctx) =>
    [done(ctx.style, `Reset link for ${who(r)}, valid until ${dateTime(r.expiresAt)}, for one use`), ...shownOnce('Link', r.url, ctx.style)].join('\n'),
});

export const suspend = defineCommand({
  name: 'suspend',
  summary: 'Suspend a user: sessions end, sign-in is refused',
  description: 'Until it is lifted with `roster users unsuspend`, or until --until passes.',
  args: userArg,
  flags: {
    reason: { type: 'string', short: 'r', value: 'TEXT', description: 'Why (required; the user is not shown it, admins are)' },
    until: { type: 'string', value: 'WHEN', description: 'End: a duration (12h, 7d, 2w) or an ISO date/time; default until lifted' },
  },
  examples: ['roster users suspend uma@example.com --reason "unpaid invoice"', 'roster users suspend uma@example.com --reason "cooling off" --until 7d'],
  async run(ctx, { flags, args }) {
    if (!flags.reason?.trim()) throw new UsageError('users suspend needs --reason TEXT', 'e.g. --reason "left the team"');
    const until = flags.until === undefined ? undefined : parseWhen(flags.until, '--until');
    const { id } = await findUser(ctx, args[0]!);
    return ctx.api().admin.users.suspend.mutate({ id, reason: flags.reason, until });
  },
  human: (u, ctx) =>
    `${done(ctx.style, `Suspended ${who(u)} ${u.suspendedUntil ? `until ${dateTime(u.suspendedUntil)}` : 'until lifted'}; their sessions ended`)}\n\n${userDetails(u, ctx.style)}`,
});

export const unsuspend = defineCommand({
  name: 'unsuspend',
  summary: 'Lift a suspension',
  args: userArg,
  flags: {},
  examples: ['roster users unsuspend uma@example.com'],
  async run(ctx, { args }) {
    const before = await findUser(ctx, args[0]!);
    const user = await ctx.api().admin.users.unsuspend.mutate({ id: before.id });
    return { ...user, wasSuspended: before.status === 'suspended' };
  },
  human: (u, ctx) => (u.wasSuspended ? done(ctx.style, `${who(u)} can sign in again`) : `${who(u)} was not suspended; nothing changed.`),
});

export const sessions = defineCommand({
  name: 'sessions',
  summary: "List a user's sessions (client, IP, last seen)",
  args: userArg,
  flags: {},
  examples: ['roster users sessions uma@example.com', 'roster users revoke-sessions uma@example.com --session 3f2a…'],
  async run(ctx, { args }) {
    const user = await findUser(ctx, args[0]!);
    return { user: { id: user.id, email: user.email, name: user.name }, sessions: await ctx.api().admin.users.sessions.query({ id: user.id }) };
  },
  human: ({ user, sessions }, ctx) =>
    sessions.length ? `${sessionTable(sessions, ctx.style)}\n${ctx.style.dim(`${plural(sessions.length, 'session')} of ${who(user)}`)}` : `${who(user)} has no active sessions.`,
});

export const revokeSessions = defineCommand({
  name: 'revoke-sessions',
  summary: "End all of a user's sessions, or one with --session",
  args: userArg,
  flags: {
    session: { type: 'string', short: 's', value: 'ID', description: 'Only this session (ids from `roster users sessions`)' },
    yes,
  },
  examples: ['roster users revoke-sessions uma@example.com', 'roster users revoke-sessions uma@example.com --session 3f2a9c… --yes'],
  async run(ctx, { flags, args }) {
    const ask = mustConfirm(flags.yes, 'ending sessions');
    const user = await findUser(ctx, args[0]!);
    const api = ctx.api().admin.users;
    const base = { id: user.id, email: user.email, name: user.name };
    if (flags.session) {
      const sid = flags.session.trim().toLowerCase();
      const theirs = await api.sessions.query({ id: user.id });
      if (!theirs.some((x) => x.id === sid)) {
        throw new CliError('NOT_FOUND', `${user.email} has no session ${sid}`, `see \`roster users sessions ${user.email}\``);
      }
      if (ask) await confirm(`End session ${sid} of ${who(user)}?`);
      await api.revokeSession.mutate({ sessionId: sid });
      return { ...base, revoked: 1 };
    }
    if (ask) await confirm(`End every session of ${who(user)}? They will have to sign in again.`);
    return { ...base, ...(await api.revokeAllSessions.mutate({ id: user.id })) };
  },
  human: (r, ctx) => (r.revoked ? done(ctx.style, `Ended ${plural(r.revoked, 'session')} of ${who(r)}`) : `${who(r)} had no sessions to end.`),
});

export const transferOwnership = defineCommand({
  name: 'transfer-ownership',
  summary: 'Make another user the owner; you become an admin',
  description:
    'Only the owner can do this, and only the new owner can undo it. Your password is asked for\n' +
    '(or read from stdin with --password-stdin), and a terminal asks for confirmation unless --yes.',
  args: userArg,
  flags: {
    'password-stdin': { type: 'boolean', description: 'Read your password from the first line of stdin' },
    yes,
  },
  examples: ['roster users transfer-ownership uma@example.com', 'printf %s "$PW" | roster users transfer-ownership uma@example.com --password-stdin --yes'],
  async run(ctx, { flags, args }) {
    const ask = mustConfirm(flags.yes, 'transferring ownership');
    const user = await findUser(ctx, args[0]!);
    if (ask) await confirm(`Make ${who(user)} the owner of this Roster? You become an admin, and only they can undo it.`);
    const password = await readPassword(flags['password-stdin'], 'Your password: ', 'roster users transfer-ownership USER --yes');
    return ctx.api().admin.users.transferOwnership.mutate({ id: user.id, password });
  },
  human: (r, ctx) => done(ctx.style, `${who(r.newOwner)} is the owner now; ${r.previousOwner.name} is an admin`),
});
