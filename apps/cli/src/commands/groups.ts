import type { Inputs } from '../api-types.ts';
import { defineCommand, defineGroup } from '../cli/command.ts';
import { UsageError } from '../cli/errors.ts';
import { done, plural } from '../cli/output.ts';
import { confirm, mustConfirm } from '../cli/prompt.ts';
import { groupDetails, groupTable, keyList } from '../format/group.ts';
import { allGroups, findGroup, GROUP_ARG, resolveGroupId } from '../group-ref.ts';
import { add, managers, mine, remove } from './group-members.ts';

/** Groups that grant and deny permission keys: `roster groups …` (admins; managers use add, remove and mine). */

type UpdateInput = Inputs['admin']['groups']['update'];
const groupArg = [{ name: 'group', description: GROUP_ARG, required: true }] as const;
const KEYS_HINT = '`roster permissions catalogue` lists the keys';

const list = defineCommand({
  name: 'list',
  summary: 'List groups with their members, grants and denies',
  flags: { wide: { type: 'boolean', short: 'w', description: 'Also show ids' } },
  examples: ['roster groups list', 'roster groups list --wide', 'roster groups list --json | jq -r ".items[].name"'],
  run: (ctx) => ctx.api().admin.groups.list.query(),
  human({ items }, ctx, { flags }) {
    const s = ctx.style;
    if (!items.length) return 'No groups yet: `roster groups create NAME --grant KEY`.';
    return `${groupTable(items, s, flags.wide)}\n${s.dim(plural(items.length, 'group'))}`;
  },
});

const get = defineCommand({
  name: 'get',
  summary: 'Show one group with its members, managers and expiries',
  args: groupArg,
  flags: {},
  examples: ['roster groups get Uploaders', 'roster groups get 0b5c2a4e-… --json'],
  async run(ctx, { args }) {
    const id = await resolveGroupId(args[0]!, allGroups(ctx));
    return ctx.api().admin.groups.get.query({ id });
  },
  human: (g, ctx) => groupDetails(g, ctx.style),
});

const keyFlags = {
  grant: { type: 'string', multiple: true, value: 'KEY', description: 'Grant this permission key' },
  deny: { type: 'string', multiple: true, value: 'KEY', description: 'Deny this permission key (a deny wins over any grant)' },
} as const;

const create = defineCommand({
  name: 'create',
  summary: 'Create a group that grants and denies permission keys',
  description: `Members get the default permissions plus the group's grants, minus any group's denies.\n${KEYS_HINT}; names are unique regardless of case.`,
  args: [{ name: 'name', description: 'Name of the new group', required: true }],
  flags: {
    description: { type: 'string', short: 'd', value: 'TEXT', description: 'What the group is for' },
    ...keyFlags,
  },
  examples: [
    'roster groups create Uploaders --grant files.upload',
    'roster groups create "No uploads" --deny files.upload,files.download -d "read-only guests"',
    'roster groups create Staff --json | jq -r .id',
  ],
  run: (ctx, { flags, args }) =>
    ctx.api().admin.groups.create.mutate({ name: args[0]!, description: flags.description, grants: flags.grant, denies: flags.deny }),
  human: (g, ctx) => `${done(ctx.style, `Created group ${ctx.style.bold(g.name)}`)}\n  grants ${keyList(g.grants, ctx.style)}\n  denies ${keyList(g.denies, ctx.style)}`,
});

/** Adds and removes keys from a list, keeping its order; a key both added and removed is an error. */
function edit(current: readonly string[], addKeys: string[], drop: string[], what: string): string[] | undefined {
  if (!addKeys.length && !drop.length) return undefined;
  const both = addKeys.find((k) => drop.includes(k));
  if (both) throw new UsageError(`${both} is both added to and removed from the ${what}`);
  return [...current.filter((k) => !drop.includes(k)), ...addKeys.filter((k) => !current.includes(k))];
}

const update = defineCommand({
  name: 'update',
  summary: "Rename a group or change its description, grants or denies",
  description:
    'Only what is given changes. --grant/--deny add keys, --ungrant/--undeny take them away; --grants/--denies\n' +
    `replace the whole list ("" empties it). Members' permissions change on their next request. ${KEYS_HINT}.`,
  args: groupArg,
  flags: {
    name: { type: 'string', short: 'n', value: 'NAME', description: 'New name' },
    description: { type: 'string', short: 'd', value: 'TEXT', description: 'New description; "" removes it' },
    ...keyFlags,
    ungrant: { type: 'string', multiple: true, value: 'KEY', description: 'Stop granting this key' },
    undeny: { type: 'string', multiple: true, value: 'KEY', description: 'Stop denying this key' },
    grants: { type: 'string', value: 'KEYS', description: 'Replace the grants: comma-separated keys, "" for none' },
    denies: { type: 'string', value: 'KEYS', description: 'Replace the denies: comma-separated keys, "" for none' },
  },
  examples: [
    'roster groups update Uploaders --grant users.search --ungrant files.download',
    'roster groups update "No uploads" --name Guests --description "read-only"',
    'roster groups update Guests --denies files.upload,profile.editName',
    'roster groups update Guests --grants ""',
  ],
  async run(ctx, { flags, args }) {
    const split = (v: string) => v.split(',').map((k) => k.trim()).filter(Boolean);
    if (flags.grants !== undefined && (flags.grant.length || flags.ungrant.length)) throw new UsageError('--grants replaces the list: drop --grant/--ungrant, or use them alone');
    if (flags.denies !== undefined && (flags.deny.length || flags.undeny.length)) throw new UsageError('--denies replaces the list: drop --deny/--undeny, or use them alone');
    const current = await findGroup(args[0]!, allGroups(ctx));
    const patch: Omit<UpdateInput, 'id'> = {
      name: flags.name,
      description: flags.description === undefined ? undefined : flags.description || null,
      grants: flags.grants !== undefined ? split(flags.grants) : edit(current.grants, flags.grant, flags.ungrant, 'grants'),
      denies: flags.denies !== undefined ? split(flags.denies) : edit(current.denies, flags.deny, flags.undeny, 'denies'),
    };
    const changed = Object.entries(patch).filter(([, v]) => v !== undefined).map(([k]) => k);
    if (!changed.length) throw new UsageError('nothing to change', 'give --name, --description, --grant, --deny, --ungrant, --undeny, --grants or --denies');
    const group = await ctx.api().admin.groups.update.mutate({ id: current.id, ...patch });
    return { group, changed };
  },
  human({ group, changed }, ctx) {
    const s = ctx.style;
    return `${done(s, `Updated group ${s.bold(group.name)}: ${changed.join(', ')}`)}\n  grants ${keyList(group.grants, s)}\n  denies ${keyList(group.denies, s)}`;
  },
});

const remove_ = defineCommand({
  name: 'delete',
  summary: 'Delete a group; its memberships go, its members stay',
  description: 'Members lose what the group granted (and regain what it denied) on their next request. Asks first on a terminal; --yes skips the question.',
  args: groupArg,
  flags: { yes: { type: 'boolean', short: 'y', description: 'Delete without asking' } },
  examples: ['roster groups delete Uploaders', 'roster groups delete 0b5c2a4e-… --yes'],
  async run(ctx, { flags, args }) {
    const ask = mustConfirm(flags.yes, 'deleting a group');
    const group = await findGroup(args[0]!, allGroups(ctx));
    if (ask) await confirm(`Delete group ${group.name} and its ${plural(group.memberCount, 'membership')}? Nobody's account is deleted.`);
    const { removedMemberships } = await ctx.api().admin.groups.delete.mutate({ id: group.id });
    return { id: group.id, name: group.name, removedMemberships };
  },
  human: (g, ctx) => done(ctx.style, `Deleted group ${ctx.style.bold(g.name)} (${plural(g.removedMemberships, 'membership')} removed)`),
});

export const groups = defineGroup({
  name: 'groups',
  summary: 'Manage groups: permission grants and denies, members, expiring memberships, managers',
  children: [list, get, create, update, remove_, add, remove, managers, mine],
  default: 'list',
  examples: [
    'roster groups create Uploaders --grant files.upload',
    'roster groups add Uploaders uma@example.com vic@example.com --expires 30d',
    'roster groups managers Uploaders --set uma@example.com',
    'roster groups get Uploaders',
    'roster groups mine',
  ],
});
