import { every, type Inputs, type Outputs } from '../api-types.ts';
import { defineCommand, defineGroup } from '../cli/command.ts';
import { UsageError } from '../cli/errors.ts';
import { dateTime, done, relativeTime, shownOnce, table } from '../cli/output.ts';
import { confirm, mustConfirm } from '../cli/prompt.ts';
import { parseWhen } from '../cli/time.ts';
import { resolveUserId, USER_ARG } from '../user-ref.ts';

/** API keys (issue 13): secrets other services present as `Authorization: Bearer rst_…`. */

type KeyScope = Inputs['me']['apiKeys']['create']['scopes'][number];
type ApiKey = Outputs['me']['apiKeys']['list'][number];
const SCOPES = every<KeyScope>()(
  'me', 'user:list', 'user:read', 'user:create', 'user:update', 'user:changeRole', 'user:resetPassword', 'user:suspend', 'user:delete',
  'user:sessions', 'user:invite', 'settings:read', 'settings:update', 'storage:stats', 'files:manage', 'jobs:manage', 'groups:manage',
  'permissions:manage', 'permissions:check', 'audit:read', 'webhooks:manage', 'owner:transfer',
);

const create = defineCommand({
  name: 'create',
  summary: 'Create an API key; its secret is printed once',
  description:
    'A key holds a subset of its user\'s scopes: `me` is the user\'s own data, the others the admin scopes of the role.\n' +
    'With --user, an admin creates a key for a service account (role service); people create their own keys.\n' +
    'Give the secret to the service as ROSTER_API_KEY or `Authorization: Bearer <secret>`; it is not shown again.',
  args: [{ name: 'name', description: 'What the key is for, e.g. reporting', required: true }],
  flags: {
    scope: { type: 'string', multiple: true, value: 'SCOPE', choices: SCOPES, description: 'A scope the key holds (repeat the flag)' },
    expires: { type: 'string', value: 'WHEN', description: 'The key stops working then: a duration (90d) or an ISO date' },
    user: { type: 'string', value: 'USER', description: `A service account to create the key for (admins). ${USER_ARG}` },
  },
  examples: [
    'roster keys create reporting --scope user:list --scope permissions:check',
    'roster keys create ci --scope me --expires 90d --json | jq -r .secret',
    'roster keys create sync --user billing@service.invalid --scope user:read',
  ],
  async run(ctx, { args, flags }) {
    const scopes = (flags.scope ?? []) as KeyScope[];
    if (!scopes.length) throw new UsageError('give the key at least one --scope', `scopes: ${SCOPES.join(', ')}`);
    const input = { name: args[0]!, scopes, expiresAt: flags.expires ? parseWhen(flags.expires, '--expires') : undefined };
    if (!flags.user) return ctx.api().me.apiKeys.create.mutate(input);
    const userId = await resolveUserId(ctx, flags.user);
    return ctx.api().admin.apiKeys.create.mutate({ ...input, userId });
  },
  human(key, ctx) {
    const s = ctx.style;
    return [
      done(s, `Created API key ${s.bold(key.name)} (${key.prefix}…, ${key.scopes.join(', ')})`),
      key.expiresAt ? s.dim(`Expires ${relativeTime(key.expiresAt)} (${dateTime(key.expiresAt)}).`) : s.dim('Never expires; revoke it with `roster keys revoke`.'),
      '',
      ...shownOnce('Secret', key.secret, s),
    ].join('\n');
  },
});

const list = defineCommand({
  name: 'list',
  summary: 'List your API keys (or, for admins, any user\'s)',
  flags: {
    user: { type: 'string', value: 'USER', description: `Another user's keys (admins). ${USER_ARG}` },
    all: { type: 'boolean', description: "Every user's keys (admins)" },
  },
  examples: ['roster keys list', 'roster keys list --user billing@service.invalid', 'roster keys list --all --json | jq length'],
  async run(ctx, { flags }): Promise<{ keys: ApiKey[] }> {
    if (flags.user && flags.all) throw new UsageError('give --user or --all, not both');
    if (flags.all) return { keys: await ctx.api().admin.apiKeys.list.query() };
    if (flags.user) return { keys: await ctx.api().admin.apiKeys.list.query({ userId: await resolveUserId(ctx, flags.user) }) };
    return { keys: await ctx.api().me.apiKeys.list.query() };
  },
  human({ keys }, ctx) {
    const s = ctx.style;
    if (!keys.length) return 'No API keys. Create one with `roster keys create NAME --scope SCOPE`.';
    return table(
      keys,
      [
        { header: 'ID', cell: (k) => s.dim(k.id) },
        { header: 'PREFIX', cell: (k) => `${k.prefix}…` },
        { header: 'NAME', cell: (k) => s.bold(k.name) },
        { header: 'SCOPES', cell: (k) => k.scopes.join(',') },
        { header: 'LAST USED', cell: (k) => (k.lastUsedAt ? relativeTime(k.lastUsedAt) : s.dim('never')) },
        { header: 'EXPIRES', cell: (k) => (k.expired ? s.red('expired') : k.expiresAt ? relativeTime(k.expiresAt) : s.dim('never')) },
      ],
      s,
    );
  },
});

const revoke = defineCommand({
  name: 'revoke',
  summary: 'Revoke an API key: it stops working at once',
  description: 'Asks first on a terminal; --yes skips the question. --admin revokes any user\'s key (admins).',
  args: [{ name: 'id', description: 'The key id (`roster keys list` shows it)', required: true }],
  flags: {
    yes: { type: 'boolean', short: 'y', description: 'Do it without asking' },
    admin: { type: 'boolean', description: "Revoke another user's key (admins)" },
  },
  examples: ['roster keys revoke 3f0c…', 'roster keys revoke 3f0c… --admin --yes --json'],
  async run(ctx, { args, flags }) {
    const id = args[0]!.trim();
    if (mustConfirm(flags.yes, 'revoking an API key')) await confirm(`Revoke API key ${id}? Services using it will get 401.`);
    if (flags.admin) await ctx.api().admin.apiKeys.revoke.mutate({ id });
    else await ctx.api().me.apiKeys.revoke.mutate({ id });
    return { revoked: true as const, id };
  },
  human: (r, ctx) => done(ctx.style, `Revoked API key ${r.id}`),
});

export const keys = defineGroup({
  name: 'keys',
  summary: 'API keys for services: create, list, revoke',
  children: [create, list, revoke],
  default: 'list',
  examples: ['roster keys', 'roster keys create reporting --scope user:list', 'roster keys revoke <id> --yes'],
});
