import type { Outputs } from '../api-types.ts';
import { defineCommand } from '../cli/command.ts';
import { bytes, countdown, dateTime, done, keyValues, type Style } from '../cli/output.ts';
import { confirm, mustConfirm } from '../cli/prompt.ts';
import { purgeCountdown, type User } from '../format/user.ts';
import { findUser, USER_ARG } from '../user-ref.ts';

/** Scheduled deletion (Immich's grace period, n8n's transfer): `roster users delete|restore|deletion-preview|purge-now`. */

type Preview = Outputs['admin']['users']['deletionPreview'];
type Person = Pick<User, 'id' | 'name' | 'email'>;

const userArg = [{ name: 'user', description: USER_ARG, required: true }] as const;
const yes = { type: 'boolean', short: 'y', description: 'Do it without asking' } as const;
const who = (u: Pick<User, 'name' | 'email'>) => `${u.name} <${u.email}>`;
const person = (u: Person): Person => ({ id: u.id, name: u.name, email: u.email });

/** True when the purge is due now (within a minute of the request): `--now`. */
const dueNow = (purgeAt: string | null) => !!purgeAt && Date.parse(purgeAt) - Date.now() < 60_000;

const COUNT_LABELS: Record<string, [string, string?]> = {
  files: ['files'],
  sessions: ['sessions'],
  invitations: ['invitations', 'unanswered, sent by them'],
  resetTokens: ['reset links'],
};

/** What a purge removes (or moves), one line per kind, files with their size; indented under a heading. */
export function previewLines(p: Preview, s: Style, opts: { transferTo?: Person | null; immediate?: boolean } = {}): string {
  const target = opts.transferTo ?? p.transferTo;
  const rows: [string, string][] = [];
  for (const [key, n] of Object.entries(p.counts)) {
    if (key === 'bytes') continue;
    const [label, note] = COUNT_LABELS[key] ?? [key];
    let text = String(n);
    if (key === 'files') text += ` (${bytes(p.counts.bytes ?? 0)})${target && n > 0 ? `, moved to ${target.name}` : ''}`;
    else if (note && n > 0) text += ` ${s.dim(`(${note})`)}`;
    rows.push([label, n ? text : s.dim(text)]);
  }
  if (target) rows.push(['transfer to', 'email' in target ? who(target) : target.name]);
  const due = opts.immediate ? 'now' : p.purgeStartedAt ? 'running now' : `${dateTime(p.purgeAt)} (${countdown(p.purgeAt)})`;
  rows.push(['purge due', due]);
  return keyValues(rows, s).replace(/^/gm, '  ');
}

export const remove = defineCommand({
  name: 'delete',
  summary: 'Delete a user: sign-in ends now, the purge follows after the grace period',
  description:
    'The account is marked deleted at once (sessions, invitations and reset links revoked) and purged when the\n' +
    'grace period ends (setting userDeleteDelayDays, default 7 days); `roster users restore` undoes it until then.\n' +
    '--now purges right away; --transfer-to gives the files to another user instead of removing them.\n' +
    'On a terminal it shows what the purge removes and asks first; elsewhere --yes is required.',
  args: userArg,
  flags: {
    now: { type: 'boolean', description: 'Purge immediately instead of after the grace period (cannot be undone)' },
    'transfer-to': { type: 'string', value: 'USER', description: 'Give their files to this user (id or email) at the purge' },
    yes,
  },
  examples: [
    'roster users delete uma@example.com',
    'roster users delete uma@example.com --transfer-to olga@example.com',
    'roster users delete uma@example.com --now --yes',
  ],
  async run(ctx, { flags, args }) {
    const ask = mustConfirm(flags.yes, 'deleting a user');
    const user = await findUser(ctx, args[0]!);
    const target = flags['transfer-to'] ? person(await findUser(ctx, flags['transfer-to'])) : null;
    if (ask) {
      const preview = await ctx.api().admin.users.deletionPreview.query({ id: user.id });
      const s = ctx.errStyle;
      ctx.note(`Deleting ${s.bold(who(user))}; the purge removes:\n${previewLines(preview, s, { transferTo: target, immediate: flags.now })}\n`);
      if (flags.now) await confirm(s.red('This purge starts now and cannot be undone.'), { typed: user.email });
      else await confirm(`Delete ${user.email}? It can be restored until the purge.`);
    }
    const r = await ctx.api().admin.users.delete.mutate({ id: user.id, immediate: flags.now, transferToUserId: target?.id });
    return { ...r, transferTo: target };
  },
  human({ user, queued, transferTo }, ctx) {
    const s = ctx.style;
    const lines = [
      dueNow(user.purgeAt) ? done(s, `Deleted ${s.bold(who(user))}; the purge is queued now`) : done(s, `Deleted ${s.bold(who(user))}; ${purgeCountdown(user)} (${dateTime(user.purgeAt)})`),
    ];
    if (transferTo) lines.push(`Their files go to ${who(transferTo)} at the purge.`);
    if (!dueNow(user.purgeAt)) lines.push(s.dim(`Undo until then with \`roster users restore ${user.email}\`.`));
    if (!queued) lines.push(s.yellow('warning: the job queue did not answer; the worker queues the purge when it can (nothing is lost).'));
    return lines.join('\n');
  },
});

export const restore = defineCommand({
  name: 'restore',
  summary: 'Undo a deletion before the purge begins',
  description: 'The user becomes active again; sessions, invitations and reset links revoked by the deletion stay revoked.',
  args: userArg,
  flags: {},
  examples: ['roster users list --status deleted', 'roster users restore uma@example.com'],
  async run(ctx, { args }) {
    const { id } = await findUser(ctx, args[0]!);
    return ctx.api().admin.users.restore.mutate({ id });
  },
  human: (u, ctx) => done(ctx.style, `Restored ${ctx.style.bold(who(u))}; they can sign in again`),
});

export const deletionPreview = defineCommand({
  name: 'deletion-preview',
  summary: "Show what purging a user would remove, and when it is due",
  args: userArg,
  flags: {},
  examples: ['roster users deletion-preview uma@example.com', 'roster users deletion-preview uma@example.com --json | jq .counts'],
  async run(ctx, { args }) {
    const user = await findUser(ctx, args[0]!);
    return { ...(await ctx.api().admin.users.deletionPreview.query({ id: user.id })), email: user.email, name: user.name };
  },
  human(p, ctx) {
    const s = ctx.style;
    const head =
      p.status === 'deleted'
        ? `${s.bold(who(p))} is deleted; the purge removes:`
        : `Deleting ${s.bold(who(p))} (grace period ${p.delayDays} day${p.delayDays === 1 ? '' : 's'}) would remove:`;
    return `${head}\n${previewLines(p, s)}`;
  },
});

export const purgeNow = defineCommand({
  name: 'purge-now',
  summary: 'Purge a deleted user now instead of at the end of the grace period',
  description: 'Also re-queues a purge that began but did not finish. Cannot be undone; asks first on a terminal.',
  args: userArg,
  flags: { yes },
  examples: ['roster users purge-now uma@example.com', 'roster users purge-now uma@example.com --yes'],
  async run(ctx, { flags, args }) {
    const ask = mustConfirm(flags.yes, 'purging a user');
    const user = await findUser(ctx, args[0]!);
    if (ask) {
      const preview = await ctx.api().admin.users.deletionPreview.query({ id: user.id });
      const s = ctx.errStyle;
      ctx.note(`Purging ${s.bold(who(user))} now removes:\n${previewLines(preview, s, { immediate: true })}\n`);
      await confirm(s.red('This cannot be undone.'), { typed: user.email });
    }
    return ctx.api().admin.users.purgeNow.mutate({ id: user.id });
  },
  human: ({ user, queued }, ctx) =>
    [
      done(ctx.style, `The purge of ${ctx.style.bold(who(user))} is queued now`),
      ...(queued ? [] : [ctx.style.yellow('warning: the job queue did not answer; the worker queues the purge when it can.')]),
    ].join('\n'),
});
