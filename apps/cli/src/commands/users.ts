import { every, type Inputs } from '../api-types.ts';
import { defineCommand, defineGroup } from '../cli/command.ts';
import { CliError, UsageError } from '../cli/errors.ts';
import { about, done, plural, relativeTime, shownOnce, table } from '../cli/output.ts';
import { expiry } from '../format/group.ts';
import { allGroups, resolveGroupId } from '../group-ref.ts';
import { askNewPassword, canPrompt, readStdinLine } from '../cli/prompt.ts';
import { role as roleLabel, userDetails, userTable } from '../format/user.ts';
import { findUser, resolveUserId, USER_ARG } from '../user-ref.ts';
import { resetLink, resetPassword, revokeSessions, sessions, suspend, transferOwnership, unsuspend } from './user-access.ts';
import { deletionPreview, purgeNow, remove, restore } from './user-deletion.ts';
import { invitation, invitations, invite } from './user-invitations.ts';
import { importUsers } from './user-import.ts';
import { bulk } from './user-bulk.ts';
import { exportUsers } from './user-export.ts';

type ListInput = Exclude<Inputs['admin']['users']['list'], void | undefined>;
type Role = NonNullable<ListInput['roles']>[number];
type Status = NonNullable<ListInput['statuses']>[number];
type OrderBy = NonNullable<ListInput['orderBy']>;
type AssignableRole = Inputs['admin']['users']['create']['role'] & string;

const ROLES = every<Role>()('owner', 'admin', 'user', 'pending', 'service');
const ASSIGNABLE = every<AssignableRole>()('admin', 'user', 'pending');
const STATUSES = every<Status>()('active', 'suspended', 'deleted');
const SORT = every<OrderBy>()('name', 'email', 'role', 'createdAt', 'lastActiveAt', 'usage');
/** The server's defaults, repeated so the footer can say which rows are shown. */
const PAGE_SIZE = 25;

const list = defineCommand({
  name: 'list',
  summary: 'List users, searched, filtered and paged',
  description:
    'Deleted users are hidden unless --status deleted asks for them; their rows show when the purge is due.\n' +
    'Past 1,000 matches the total is the server\'s estimate: shown as "about N users", and --json\n' +
    'then has "totalEstimated": true beside "total".\n' +
    'Needs the user:list permission (admins and the owner).',
  flags: {
    query: { type: 'string', short: 'q', value: 'TEXT', description: 'Case-insensitive search in names and emails' },
    role: { type: 'string', multiple: true, value: 'ROLE', choices: ROLES, description: 'Only these roles' },
    status: { type: 'string', multiple: true, value: 'STATUS', choices: STATUSES, description: 'Only these statuses' },
    sort: { type: 'string', value: 'FIELD', choices: SORT, description: 'Sort by this field, default createdAt' },
    desc: { type: 'boolean', description: 'Sort in descending order' },
    page: { type: 'string', value: 'N', int: { min: 1 }, description: 'Page number (default 1)' },
    'page-size': { type: 'string', value: 'N', int: { min: 1, max: 100 }, description: `Users per page, at most 100 (default ${PAGE_SIZE})` },
    group: { type: 'string', multiple: true, value: 'GROUP', description: 'Only members of these groups (name or id)' },
    wide: { type: 'boolean', short: 'w', description: 'Also show id, storage, creation date and groups' },
  },
  examples: [
    'roster users list',
    'roster users list --group Uploaders',
    'roster users list --query olga',
    'roster users list --role admin,owner --sort lastActiveAt --desc',
    'roster users list --status deleted',
    'roster users list --status suspended --json | jq -r ".items[].email"',
  ],
  async run(ctx, { flags }) {
    const groupIds = flags.group.length ? await Promise.all(flags.group.map((g) => resolveGroupId(g, allGroups(ctx)))) : undefined;
    const input: ListInput = {
      groupIds,
      query: flags.query,
      roles: flags.role.length ? (flags.role as Role[]) : undefined,
      statuses: flags.status.length ? (flags.status as Status[]) : undefined,
      orderBy: flags.sort as OrderBy | undefined,
      direction: flags.desc ? 'desc' : undefined,
      page: flags.page ?? 1,
      pageSize: flags['page-size'] ?? PAGE_SIZE,
    };
    return ctx.api().admin.users.list.query(input);
  },
  human(result, ctx, { flags }) {
    const { page = 1, 'page-size': pageSize = PAGE_SIZE, query, wide } = flags;
    const s = ctx.style;
    // Past 1,000 matches the total is the server's estimate: said as "about …", and the page
    // count with it; whether there is a next page then follows from this one being full.
    const estimated = result.totalEstimated === true;
    const users = estimated ? `${about(result.total)} users` : plural(result.total, 'user');
    if (!result.items.length) {
      if (result.total > 0) return `Page ${page} is past the end: ${users} in total.`;
      return query ? `No users match "${query}".` : 'No users.';
    }
    const first = (page - 1) * pageSize + 1;
    const last = first + result.items.length - 1;
    const pages = Math.ceil(result.total / pageSize);
    const hasNext = estimated ? result.items.length === pageSize : page < pages;
    const of = !estimated ? ` of ${pages}` : page < pages ? ` of ${about(pages)}` : '';
    const footer =
      page > 1 || hasNext
        ? `Showing ${first}–${last} of ${users} (page ${page}${of}${hasNext ? `; next: --page ${page + 1}` : ''})`
        : users;
    const restoreHint = result.items.some((u) => u.status === 'deleted') ? '\nRestore a deleted user with `roster users restore EMAIL` until the purge.' : '';
    return `${userTable(result.items, s, wide)}\n${s.dim(footer + restoreHint)}`;
  },
});

const groups = defineCommand({
  name: 'groups',
  summary: 'List the groups a user is in, with expiries; `roster permissions check USER --why` shows what they give',
  args: [{ name: 'user', description: USER_ARG, required: true }],
  flags: {},
  examples: ['roster users groups uma@example.com', 'roster users groups uma@example.com --json'],
  run: async (ctx, { args }) => ctx.api().admin.users.groups.query({ id: await resolveUserId(ctx, args[0]!) }),
  human({ items }, ctx, { args }) {
    const s = ctx.style;
    if (!items.length) return `${args[0]} is in no group.`;
    return table(
      items,
      [
        { header: 'GROUP', cell: (g) => s.bold(g.name) },
        { header: 'MANAGER', cell: (g) => (g.manager ? s.cyan('manager') : '') },
        { header: 'SINCE', cell: (g) => relativeTime(g.addedAt) },
        { header: 'EXPIRES', cell: (g) => (g.expiresAt ? expiry(g.expiresAt, s) : '') },
      ],
      s,
    );
  },
});

const get = defineCommand({
  name: 'get',
  summary: 'Show one user',
  args: [{ name: 'user', description: USER_ARG, required: true }],
  flags: {},
  examples: ['roster users get uma@example.com', 'roster users get 0b5c2a4e-… --json'],
  run: (ctx, { args }) => findUser(ctx, args[0]!),
  human: (user, ctx) => userDetails(user, ctx.style),
});

/** `--quota`, `--storage-label`, `--must-change` / `--no-must-change`: shared by create and update. */
const accountFlags = {
  quota: { type: 'string', value: 'GiB', number: { min: 0 }, description: 'Storage quota in GiB, decimals allowed (0.5); 0 = unlimited' },
  'storage-label': { type: 'string', value: 'LABEL', description: 'Folder name for the files (lower-case a-z 0-9 . _ -); "" clears it' },
  'must-change': { type: 'boolean', description: 'Require a new password at the next sign-in' },
  'no-must-change': { type: 'boolean', description: 'Do not require one' },
} as const;

function mustChange(flags: { 'must-change': boolean; 'no-must-change': boolean }): boolean | undefined {
  if (flags['must-change'] && flags['no-must-change']) throw new UsageError('--must-change and --no-must-change contradict each other');
  return flags['must-change'] ? true : flags['no-must-change'] ? false : undefined;
}

const create = defineCommand({
  name: 'create',
  summary: 'Create a user account',
  description:
    'The password comes from stdin (--password-stdin), is generated (--generate-password, shown once),\n' +
    'or is asked for twice on a terminal. By default the user must change it at the first sign-in\n' +
    '(the instance setting requirePasswordChangeOnCreate).',
  args: [{ name: 'email', description: 'Email address of the new account', required: true }],
  flags: {
    name: { type: 'string', short: 'n', value: 'NAME', description: 'Display name (required)' },
    role: { type: 'string', value: 'ROLE', choices: ASSIGNABLE, description: 'Role, default user' },
    'password-stdin': { type: 'boolean', description: 'Read the password from the first line of stdin' },
    'generate-password': { type: 'boolean', description: 'Generate a password and show it once' },
    ...accountFlags,
  },
  examples: [
    'roster users create uma@example.com --name "Uma User" --generate-password',
    'printf %s "$PW" | roster users create bo@example.com --name Bo --role admin --password-stdin --no-must-change',
    'roster users create cy@example.com --name Cy --generate-password --quota 0.5 --storage-label cy',
  ],
  async run(ctx, { flags, args }) {
    if (!flags.name) throw new UsageError('users create needs --name NAME', 'e.g. roster users create uma@example.com --name "Uma User" --generate-password');
    if (flags['password-stdin'] && flags['generate-password']) throw new UsageError('choose one of --password-stdin and --generate-password');
    const mustChangePassword = mustChange(flags);
    let password: string | undefined;
    if (flags['password-stdin']) {
      password = await readStdinLine();
      if (!password) throw new UsageError('--password-stdin read an empty line');
    } else if (!flags['generate-password']) {
      if (!canPrompt()) throw new UsageError('no password given', 'pass --generate-password, or pipe one in with --password-stdin');
      password = await askNewPassword(`Password for ${args[0]}: `);
    }
    return ctx.api().admin.users.create.mutate({
      email: args[0]!,
      name: flags.name,
      role: flags.role as AssignableRole | undefined,
      password,
      generatePassword: flags['generate-password'] || undefined,
      mustChangePassword,
      quotaGiB: flags.quota,
      storageLabel: flags['storage-label'],
    });
  },
  human({ user, generatedPassword }, ctx) {
    const s = ctx.style;
    const lines = [done(s, `Created ${s.bold(user.name)} <${user.email}> (${roleLabel(user, s)})`), '', userDetails(user, s)];
    if (generatedPassword) lines.push('', ...shownOnce('Password', generatedPassword, s));
    return lines.join('\n');
  },
});

const FIELD_LABELS: Record<string, string> = {
  avatarUrl: 'avatar',
  quotaGiB: 'quota',
  storageLabel: 'storage label',
  mustChangePassword: 'password change requirement',
};

const update = defineCommand({
  name: 'update',
  summary: "Change a user's name, email, role, quota or storage label",
  description: 'Only the given fields change. A new storage label moves the user\'s files (a storage migration job).',
  args: [{ name: 'user', description: USER_ARG, required: true }],
  flags: {
    name: { type: 'string', short: 'n', value: 'NAME', description: 'New display name' },
    email: { type: 'string', value: 'EMAIL', description: 'New email address' },
    role: { type: 'string', value: 'ROLE', choices: ASSIGNABLE, description: 'New role' },
    'avatar-url': { type: 'string', value: 'URL', description: 'Avatar image URL; "" removes it' },
    ...accountFlags,
  },
  examples: [
    'roster users update uma@example.com --quota 10',
    'roster users update uma@example.com --role admin --name "Uma Admin"',
    'roster users update uma@example.com --storage-label uma --no-must-change',
  ],
  async run(ctx, { flags, args }) {
    const patch = {
      name: flags.name,
      email: flags.email,
      role: flags.role as AssignableRole | undefined,
      avatarUrl: flags['avatar-url'] === undefined ? undefined : flags['avatar-url'] || null,
      quotaGiB: flags.quota,
      storageLabel: flags['storage-label'] === undefined ? undefined : flags['storage-label'] || null,
      mustChangePassword: mustChange(flags),
    };
    const changed = Object.entries(patch).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (!changed.length) throw new UsageError('nothing to change', 'give at least one of --name, --email, --role, --avatar-url, --quota, --storage-label, --must-change');
    const { id } = await findUser(ctx, args[0]!);
    const user = await ctx.api().admin.users.update.mutate({ id, ...patch });
    return { user, changed };
  },
  human: ({ user, changed }, ctx) =>
    `${done(ctx.style, `Updated ${ctx.style.bold(user.name)}: ${changed.map((k) => FIELD_LABELS[k] ?? k).join(', ')}`)}\n\n${userDetails(user, ctx.style)}`,
});

const approve = defineCommand({
  name: 'approve',
  summary: 'Approve a pending sign-up (role pending → user)',
  args: [{ name: 'user', description: USER_ARG, required: true }],
  flags: {},
  examples: ['roster users list --role pending', 'roster users approve new@example.com'],
  async run(ctx, { args }) {
    const user = await findUser(ctx, args[0]!);
    // Approving must never demote an admin to user: only a pending account changes.
    if (user.role !== 'pending') {
      throw new CliError('NOT_PENDING', `${user.email} is not waiting for approval (role ${user.role})`, 'change roles with `roster users update USER --role ROLE`');
    }
    return ctx.api().admin.users.update.mutate({ id: user.id, role: 'user' });
  },
  human: (user, ctx) => done(ctx.style, `Approved ${ctx.style.bold(user.name)} <${user.email}>: they can use Roster now`),
});

export const users = defineGroup({
  name: 'users',
  summary: 'Manage user accounts',
  children: [
    list,
    get,
    create,
    update,
    groups,
    approve,
    resetPassword,
    resetLink,
    suspend,
    unsuspend,
    sessions,
    revokeSessions,
    transferOwnership,
    invite,
    invitations,
    remove,
    restore,
    deletionPreview,
    purgeNow,
    invitation,
    importUsers,
    exportUsers,
    bulk,
  ],
  examples: [
    'roster users list --query olga',
    'roster users create uma@example.com --name "Uma User" --generate-password',
    'roster users suspend uma@example.com --reason "left the team" --until 30d',
    'roster users delete uma@example.com --transfer-to olga@example.com',
    'roster users list --json',
  ],
});
