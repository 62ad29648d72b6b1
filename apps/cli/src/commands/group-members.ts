import type { RunContext } from '../cli/context.ts';
import { defineCommand } from '../cli/command.ts';
import { CliError, UsageError } from '../cli/errors.ts';
import { done, plural, table } from '../cli/output.ts';
import { parseWhen } from '../cli/time.ts';
import { expiry, memberTable, outcomeSummary, type Outcome } from '../format/group.ts';
import { allGroups, findGroup, GROUP_ARG } from '../group-ref.ts';
import { resolveUserId } from '../user-ref.ts';

/**
 * Members and managers: `roster groups add|remove|managers|mine`. Admins go
 * through `admin.groups.*`; a signed-in manager who is not an admin through
 * `groups.*`, which lets them change the members of the groups they manage only.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const usersArgs = [
  { name: 'group', description: GROUP_ARG, required: true },
  { name: 'user', description: 'Users by id or email address (managers who are not admins: by id)', required: true, variadic: true },
] as const;

/** One line of a bulk report: the user as the command line named them, their id, and what happened. */
export interface UserOutcome {
  user: string;
  userId: string | null;
  outcome: Outcome;
}

interface Target {
  admin: boolean;
  group: { id: string; name: string };
  /** Each argument with the id it names; null for an email nobody has (reported as notFound, not sent). */
  users: { user: string; userId: string | null }[];
}

/** Admins and the owner manage every group; anyone else only the groups they manage. */
async function isAdmin(ctx: RunContext): Promise<boolean> {
  const me = await ctx.api().auth.me.query();
  return me.role === 'admin' || me.role === 'owner';
}

/** Resolves the group and the users for add/remove, as an admin or as a manager. */
async function target(ctx: RunContext, groupRef: string, userRefs: string[]): Promise<Target> {
  const admin = await isAdmin(ctx);
  if (admin) {
    const group = await findGroup(groupRef, allGroups(ctx));
    const users = [];
    for (const user of userRefs) {
      try {
        users.push({ user, userId: await resolveUserId(ctx, user) });
      } catch (err) {
        if (err instanceof CliError && err.code === 'USER_NOT_FOUND') users.push({ user, userId: null });
        else throw err;
      }
    }
    return { admin, group: { id: group.id, name: group.name }, users };
  }
  // A manager sees the groups they belong to, and other people's names but not their emails.
  const group = await findGroup(groupRef, async () => (await ctx.api().groups.mine.query()).items);
  const emails = userRefs.filter((u) => !UUID.test(u.trim()));
  if (emails.length) {
    throw new UsageError(
      `as a group manager (not an admin) you name users by id, not "${emails[0]}"`,
      'managers cannot look accounts up by email; `roster groups mine --json` shows the ids of your members, or ask an admin',
    );
  }
  return { admin, group: { id: group.id, name: group.name }, users: userRefs.map((u) => ({ user: u, userId: u.trim().toLowerCase() })) };
}

/** The server's per-id results, in argument order, with the emails nobody has added as notFound. */
function report(t: Target, results: readonly { userId: string; outcome: Outcome }[]): UserOutcome[] {
  const byId = new Map(results.map((r) => [r.userId, r.outcome]));
  return t.users.map(({ user, userId }) => ({ user, userId, outcome: userId ? (byId.get(userId) ?? 'notFound') : 'notFound' }));
}

function warnNotFound(ctx: RunContext, results: readonly UserOutcome[]) {
  const missing = results.filter((r) => r.outcome === 'notFound').map((r) => r.user);
  if (missing.length) ctx.note(ctx.errStyle.yellow(`warning: no such user: ${missing.join(', ')}`));
}

export const add = defineCommand({
  name: 'add',
  summary: 'Add users to a group, optionally until a date',
  description:
    'Adding states the membership wanted: repeating it changes nothing, and --expires on a member sets (or with\n' +
    'a later call without it, clears) their expiry. Users that do not exist are reported, not fatal. A membership\n' +
    'with --expires ends at that moment by itself. Managers of a group who are not admins may add members too,\n' +
    'naming them by id.',
  args: usersArgs,
  flags: {
    expires: { type: 'string', value: 'WHEN', description: 'End the membership then: a duration (12h, 7d, 2w) or an ISO date' },
  },
  examples: [
    'roster groups add Uploaders uma@example.com vic@example.com',
    'roster groups add Contractors uma@example.com --expires 30d',
    'roster groups add Uploaders uma@example.com --expires 2027-01-31T18:00Z --json',
  ],
  async run(ctx, { flags, args }) {
    const expiresAt = flags.expires ? parseWhen(flags.expires, '--expires') : null;
    if (expiresAt && Date.parse(expiresAt) <= Date.now()) throw new UsageError('--expires must be in the future');
    const t = await target(ctx, args[0]!, args.slice(1));
    const userIds = [...new Set(t.users.flatMap((u) => (u.userId ? [u.userId] : [])))];
    const input = { groupId: t.group.id, userIds, expiresAt };
    const api = ctx.api();
    const res = userIds.length ? await (t.admin ? api.admin.groups.addMembers.mutate(input) : api.groups.addMembers.mutate(input)) : { results: [] };
    return { group: t.group, expiresAt, results: report(t, res.results) };
  },
  human(r, ctx) {
    const s = ctx.style;
    warnNotFound(ctx, r.results);
    const until = r.expiresAt ? ` until ${expiry(r.expiresAt, s)}` : '';
    return done(s, `${s.bold(r.group.name)}: ${outcomeSummary(r.results, s)}${until}`);
  },
});

export const remove = defineCommand({
  name: 'remove',
  summary: 'Remove users from a group',
  description: 'Idempotent: a user who is not a member is reported as such. Managers of a group may remove its members too.',
  args: usersArgs,
  flags: {},
  examples: ['roster groups remove Uploaders uma@example.com', 'roster groups remove Uploaders 0b5c2a4e-… --json'],
  async run(ctx, { args }) {
    const t = await target(ctx, args[0]!, args.slice(1));
    const userIds = [...new Set(t.users.flatMap((u) => (u.userId ? [u.userId] : [])))];
    const input = { groupId: t.group.id, userIds };
    const api = ctx.api();
    const res = userIds.length ? await (t.admin ? api.admin.groups.removeMembers.mutate(input) : api.groups.removeMembers.mutate(input)) : { results: [] };
    return { group: t.group, results: report(t, res.results) };
  },
  human(r, ctx) {
    warnNotFound(ctx, r.results);
    return done(ctx.style, `${ctx.style.bold(r.group.name)}: ${outcomeSummary(r.results, ctx.style)}`);
  },
});

export const managers = defineCommand({
  name: 'managers',
  summary: "Show or change a group's managers",
  description:
    'Managers are members who may add and remove the members of that group (not change its permissions),\n' +
    'without being admins. Without flags, lists them. --set makes exactly these users the managers; --add and\n' +
    '--remove change the list; --clear removes them all. A manager must be a member: others are reported.',
  args: [{ name: 'group', description: GROUP_ARG, required: true }],
  flags: {
    set: { type: 'string', multiple: true, value: 'USER', description: 'Make exactly these users the managers' },
    add: { type: 'string', multiple: true, value: 'USER', description: 'Make this member a manager too' },
    remove: { type: 'string', multiple: true, value: 'USER', description: 'This user is a manager no more' },
    clear: { type: 'boolean', description: 'Remove every manager' },
  },
  examples: [
    'roster groups managers Uploaders',
    'roster groups managers Uploaders --add uma@example.com',
    'roster groups managers Uploaders --set uma@example.com,vic@example.com',
    'roster groups managers Uploaders --clear --json',
  ],
  async run(ctx, { flags, args }) {
    const modes = [flags.set.length > 0, flags.add.length > 0 || flags.remove.length > 0, flags.clear].filter(Boolean).length;
    if (modes > 1) throw new UsageError('use one of --set, --add/--remove and --clear');
    const api = ctx.api().admin.groups;
    const { id } = await findGroup(args[0]!, allGroups(ctx));
    const before = await api.get.query({ id });
    const managersOf = (g: typeof before) => g.members.filter((m) => m.manager).map(({ userId, name, email }) => ({ userId, name, email }));
    if (!modes) return { group: { id, name: before.name }, managers: managersOf(before), results: [] as UserOutcome[] };
    const current = before.members.filter((m) => m.manager).map((m) => m.userId);
    const named = async (refs: string[]) => Promise.all(refs.map(async (user) => ({ user, userId: await resolveUserId(ctx, user) })));
    let asked: { user: string; userId: string }[] = [];
    let next: string[];
    if (flags.clear) next = [];
    else if (flags.set.length) next = (asked = await named(flags.set)).map((u) => u.userId);
    else {
      const plus = await named(flags.add);
      const minus = (await named(flags.remove)).map((u) => u.userId);
      asked = plus;
      next = [...current.filter((m) => !minus.includes(m)), ...plus.map((u) => u.userId).filter((m) => !current.includes(m))];
    }
    const res = await api.setManagers.mutate({ groupId: id, userIds: [...new Set(next)] });
    const outcome = new Map(res.results.map((r) => [r.userId, r.outcome]));
    const after = await api.get.query({ id });
    return {
      group: { id, name: after.name },
      managers: managersOf(after),
      results: asked.map((u): UserOutcome => ({ ...u, outcome: outcome.get(u.userId) ?? 'notFound' })),
    };
  },
  human(r, ctx) {
    const s = ctx.style;
    const refused = r.results.filter((x) => x.outcome !== 'manager');
    if (refused.length) ctx.note(s.yellow(`warning: not made managers (${refused.map((x) => `${x.user}: ${x.outcome === 'notMember' ? 'not a member' : 'not found'}`).join(', ')})`));
    const head = `${s.bold(r.group.name)}: ${plural(r.managers.length, 'manager')}`;
    if (!r.managers.length) return `${head}\n${s.dim('Make a member one with `roster groups managers GROUP --add USER`.')}`;
    return `${head}\n${table(r.managers, [{ header: 'NAME', cell: (m) => m.name }, { header: 'EMAIL', cell: (m) => m.email ?? '' }], s)}`;
  },
});

export const mine = defineCommand({
  name: 'mine',
  summary: 'Your groups, and the members of those you manage',
  description: 'The groups you manage are those whose members `roster groups add|remove` may change without being an admin.',
  flags: { ids: { type: 'boolean', description: "Show members' ids (to name them in add and remove)" } },
  examples: ['roster groups mine', 'roster groups mine --ids', 'roster groups mine --json | jq -r ".items[] | select(.manager) | .name"'],
  run: (ctx) => ctx.api().groups.mine.query(),
  human({ items }, ctx, { flags }) {
    const s = ctx.style;
    if (!items.length) return 'You are in no group.';
    return items
      .map((g) => {
        const role = g.manager ? s.cyan('manager') : 'member';
        const until = g.expiresAt ? `, until ${expiry(g.expiresAt, s)}` : '';
        const head = `${s.bold(g.name)} ${s.dim(`(${role}${until}; ${plural(g.memberCount, 'member')})`)}`;
        return g.members?.length ? `${head}\n${memberTable(g.members, s, { ids: flags.ids }).replace(/^/gm, '  ')}` : head;
      })
      .join('\n\n');
  },
});
