import { every, type Inputs, type Outputs } from '../api-types.ts';
import { defineCommand, defineGroup } from '../cli/command.ts';
import { dateTime, done, plural, relativeTime, shownOnce, table, type Style } from '../cli/output.ts';

type Invitation = Outputs['admin']['users']['invitations']['items'][number];
type InvitationStatus = NonNullable<Exclude<Inputs['admin']['users']['invitations'], void | undefined>['status']>;
type InviteRole = NonNullable<Inputs['admin']['users']['invite']['role']>;

const STATUSES = every<InvitationStatus>()('pending', 'accepted', 'expired', 'revoked');
const ROLES = every<InviteRole>()('admin', 'user', 'pending');

function statusLabel(i: Invitation, s: Style): string {
  if (i.status === 'pending') return s.green(`open, ends ${relativeTime(i.expiresAt)}`);
  if (i.status === 'accepted') return `accepted ${relativeTime(i.acceptedAt)}`;
  if (i.status === 'revoked') return s.dim(`revoked ${relativeTime(i.revokedAt)}`);
  return s.yellow(`expired ${relativeTime(i.expiresAt)}`);
}

const linkResult = (ctx: { conn: { url?: string } }, r: Outputs['admin']['users']['invite']) => ({ ...r, url: `${ctx.conn.url}${r.path}` });
const linkLines = (r: { url: string; invitation: Invitation }, s: Style) => [
  ...shownOnce('Link', r.url, s),
  s.dim(`Valid until ${dateTime(r.invitation.expiresAt)}; \`roster users invitation resend ${r.invitation.id}\` makes a new one.`),
];

export const invite = defineCommand({
  name: 'invite',
  summary: 'Invite someone by email: a 7-day link to set their name and password',
  description: 'Roster does not send email: pass the link on yourself. A new invitation revokes earlier open ones for the address.',
  args: [{ name: 'email', description: 'Address to invite', required: true }],
  flags: { role: { type: 'string', value: 'ROLE', choices: ROLES, description: 'Role they get, default user' } },
  examples: ['roster users invite new@example.com', 'roster users invite boss@example.com --role admin --json | jq -r .url'],
  async run(ctx, { flags, args }) {
    return linkResult(ctx, await ctx.api().admin.users.invite.mutate({ email: args[0]!, role: flags.role as InviteRole | undefined }));
  },
  human: (r, ctx) => [done(ctx.style, `Invited ${r.invitation.email} as ${r.invitation.role}`), ...linkLines(r, ctx.style)].join('\n'),
});

export const invitations = defineCommand({
  name: 'invitations',
  summary: 'List invitations, newest first',
  flags: {
    status: { type: 'string', value: 'STATUS', choices: STATUSES, description: 'Only invitations in this state' },
    page: { type: 'string', value: 'N', int: { min: 1 }, description: 'Page number (default 1)' },
  },
  examples: ['roster users invitations', 'roster users invitations --status pending --json'],
  run: (ctx, { flags }) =>
    ctx.api().admin.users.invitations.query({ status: flags.status as InvitationStatus | undefined, page: flags.page ?? 1, pageSize: 25 }),
  human(r, ctx) {
    const s = ctx.style;
    if (!r.items.length) return 'No invitations.';
    const rows = table(
      r.items,
      [
        { header: 'EMAIL', cell: (i) => i.email },
        { header: 'ROLE', cell: (i) => i.role },
        { header: 'STATUS', cell: (i) => statusLabel(i, s) },
        { header: 'INVITED BY', cell: (i) => i.invitedBy?.name ?? s.dim('-') },
        { header: 'ID', cell: (i) => s.dim(i.id) },
      ],
      s,
    );
    return `${rows}\n${s.dim(plural(r.total, 'invitation'))}`;
  },
});

const idArg = [{ name: 'id', description: 'Invitation id (from `roster users invitations`)', required: true }] as const;

const revoke = defineCommand({
  name: 'revoke',
  summary: 'Revoke an invitation: its link stops working',
  args: idArg,
  flags: {},
  examples: ['roster users invitation revoke 6d1f…'],
  run: (ctx, { args }) => ctx.api().admin.users.revokeInvitation.mutate({ id: args[0]! }),
  human: (r, ctx) => done(ctx.style, `Revoked the invitation${'email' in r ? ` of ${r.email}` : ''}`),
});

const resend = defineCommand({
  name: 'resend',
  summary: 'Make a new link for an open or expired invitation (7 more days)',
  args: idArg,
  flags: {},
  examples: ['roster users invitation resend 6d1f…'],
  run: async (ctx, { args }) => linkResult(ctx, await ctx.api().admin.users.resendInvitation.mutate({ id: args[0]! })),
  human: (r, ctx) => [done(ctx.style, `New link for ${r.invitation.email}; the old one no longer works`), ...linkLines(r, ctx.style)].join('\n'),
});

export const invitation = defineGroup({
  name: 'invitation',
  summary: 'Revoke or resend one invitation',
  children: [revoke, resend],
  examples: ['roster users invitation revoke 6d1f…', 'roster users invitation resend 6d1f…'],
});
