import type { Outputs } from '../api-types.ts';
import { suggest } from '../cli/args.ts';
import { defineCommand, defineGroup } from '../cli/command.ts';
import type { RunContext } from '../cli/context.ts';
import { UsageError } from '../cli/errors.ts';
import { done, keyValues, table, type Style } from '../cli/output.ts';
import { resolveUserId, USER_ARG } from '../user-ref.ts';

/** Permission keys: the default template, the catalogue, and effective permissions (`roster permissions …`). */

type Catalogue = Outputs['admin']['permissions']['catalogue'];
type Entry = Catalogue['items'][number];
type PermissionMap = Record<string, boolean>;

const yesNo = (v: boolean, s: Style) => (v ? s.green('true') : s.red('false'));

/** Keys grouped by area in catalogue order, with their labels; keys the catalogue does not list come last. */
function permissionTable(perms: PermissionMap, catalogue: readonly Entry[] | undefined, s: Style, extra?: (key: string) => string): string {
  const byKey = new Map((catalogue ?? []).map((e) => [e.key, e]));
  const keys = [...(catalogue ?? []).map((e) => e.key).filter((k) => k in perms), ...Object.keys(perms).filter((k) => !byKey.has(k))];
  return table(
    keys,
    [
      { header: 'KEY', cell: (k) => k },
      { header: 'VALUE', cell: (k) => yesNo(perms[k]!, s) },
      ...(extra ? [{ header: 'SOURCE', cell: extra }] : []),
      // Only admins may read the catalogue; without it there is nothing to say.
      ...(catalogue ? [{ header: 'MEANING', cell: (k: string) => s.dim(byKey.get(k)?.label ?? '') }] : []),
    ],
    s,
  );
}

/** Human output only: labels come from the catalogue, which JSON output does not need. */
const catalogueFor = (ctx: RunContext) => (ctx.json ? Promise.resolve(undefined) : ctx.api().admin.permissions.catalogue.query().then((c) => c.items));

const catalogue = defineCommand({
  name: 'catalogue',
  summary: 'List every permission key with its area, meaning and built-in default',
  description: "Roster's own keys and those the deployment declares for its apps (ROSTER_PERMISSIONS_FILE).",
  flags: {},
  examples: ['roster permissions catalogue', 'roster permissions catalogue --json | jq -r ".items[].key"'],
  run: (ctx) => ctx.api().admin.permissions.catalogue.query(),
  human({ items }, ctx) {
    const s = ctx.style;
    return table(
      items,
      [
        { header: 'AREA', cell: (e: Entry) => e.area },
        { header: 'KEY', cell: (e) => s.bold(e.key) },
        { header: 'DEFAULT', cell: (e) => yesNo(e.default, s) },
        { header: 'MEANING', cell: (e) => e.label },
      ],
      s,
    );
  },
});

const defaultGet = defineCommand({
  name: 'get',
  summary: 'Show the default permissions every user has',
  flags: {},
  examples: ['roster permissions default', 'roster permissions default get --json'],
  async run(ctx) {
    const [template, items] = await Promise.all([ctx.api().admin.permissions.getDefault.query(), catalogueFor(ctx)]);
    return { ...template, catalogue: items };
  },
  human: ({ permissions, catalogue: items }, ctx) => permissionTable(permissions, items, ctx.style),
});

function parseBool(key: string, raw: string): boolean {
  if (/^(true|yes|on|1|allow)$/i.test(raw)) return true;
  if (/^(false|no|off|0|deny)$/i.test(raw)) return false;
  throw new UsageError(`${key} is true or false (got "${raw}")`);
}

const defaultSet = defineCommand({
  name: 'set',
  summary: 'Change the default permissions: key=true|false …',
  description:
    'Keys not named keep their value. Takes effect on every user\'s next request; groups still add their grants\n' +
    'and denies on top, and admins and the owner keep every permission.',
  args: [{ name: 'key=value', description: 'A permission key and true or false; give several at once', required: true, variadic: true }],
  flags: {},
  examples: ['roster permissions default set files.upload=false', 'roster permissions default set files.upload=false users.search=true --json'],
  async run(ctx, { args }) {
    const api = ctx.api().admin.permissions;
    const before = (await api.getDefault.query()).permissions;
    const patch: PermissionMap = {};
    for (const a of args) {
      const eq = a.indexOf('=');
      if (eq < 1) throw new UsageError(`"${a}" must look like key=true or key=false`, 'e.g. roster permissions default set files.upload=false');
      const key = a.slice(0, eq).trim();
      if (!(key in before)) {
        const guess = suggest(key, Object.keys(before));
        throw new UsageError(`there is no permission "${key}"`, `${guess ? `did you mean ${guess}? ` : ''}\`roster permissions catalogue\` lists them all`);
      }
      patch[key] = parseBool(key, a.slice(eq + 1).trim());
    }
    const after = (await api.setDefault.mutate({ permissions: patch })).permissions;
    return { before, after, changed: Object.keys(patch) };
  },
  human({ before, after, changed }, ctx) {
    const s = ctx.style;
    const rows = changed.map((k): [string, string] =>
      before[k] === after[k] ? [k, `${yesNo(after[k]!, s)} ${s.dim('(unchanged)')}`] : [k, `${yesNo(before[k]!, s)} → ${s.bold(yesNo(after[k]!, s))}`],
    );
    return `${done(s, 'Default permissions saved')}\n${keyValues(rows, s).replace(/^/gm, '  ')}`;
  },
});

const defaults = defineGroup({
  name: 'default',
  summary: 'Read and change the default permission template',
  children: [defaultGet, defaultSet],
  default: 'get',
  examples: ['roster permissions default', 'roster permissions default set files.upload=false users.search=true'],
});

type Resolved = Outputs['admin']['users']['permissions']['items'][number];

/** "default", "group Uploaders", "denied by group Guests", "owner": why a key has its value. */
function source(r: Resolved, s: Style): string {
  const src = r.source;
  const names = (gs: readonly { name: string }[]) => gs.map((g) => g.name).join(', ');
  switch (src.kind) {
    case 'role':
      return s.cyan(src.role);
    case 'inactive':
      return s.yellow('account not active');
    case 'default':
      return s.dim('default');
    case 'group':
      return `group ${names(src.groups)}`;
    case 'denied':
      return s.red(`denied by group ${names(src.groups)}`);
  }
}

const check = defineCommand({
  name: 'check',
  summary: "A user's effective permissions, for some keys or all",
  description:
    'Effective = the default template, plus every group\'s grants, minus any group\'s denies (a deny wins); admins\n' +
    'and the owner have every permission, and an account that is not active none. --why adds where each value\n' +
    'comes from. With --exit-code the command exits 1 when any key is false (as `test` would).',
  args: [
    { name: 'user', description: USER_ARG, required: true },
    { name: 'key', description: 'Permission keys to check (default: every key)', variadic: true },
  ],
  flags: {
    why: { type: 'boolean', description: 'Show the source of each value (default, group X, denied by group Y, role)' },
    'exit-code': { type: 'boolean', description: 'Exit 1 if any key is false' },
  },
  examples: [
    'roster permissions check uma@example.com files.upload',
    'roster permissions check uma@example.com --why',
    'roster permissions check uma@example.com files.upload users.search --json',
    'roster permissions check uma@example.com files.upload --exit-code && echo may upload',
  ],
  async run(ctx, { flags, args }) {
    const userId = await resolveUserId(ctx, args[0]!);
    const keys = [...new Set(args.slice(1))];
    const api = ctx.api();
    if (!flags.why) {
      const [result, items] = await Promise.all([api.permissions.check.query({ userId, keys }), catalogueFor(ctx)]);
      return { ...result, catalogue: items, sources: undefined };
    }
    // The sources procedure answers for every key; unknown keys are still refused by check, so ask it first.
    if (keys.length) await api.permissions.check.query({ userId, keys });
    const { items } = await api.admin.users.permissions.query({ id: userId });
    const shown = keys.length ? items.filter((r) => keys.includes(r.key)) : items;
    return {
      userId,
      permissions: Object.fromEntries(shown.map((r) => [r.key, r.allowed])),
      sources: shown,
      catalogue: ctx.json ? undefined : shown.map((r) => ({ key: r.key, area: r.area, label: r.label, default: r.defaultValue })),
    };
  },
  human({ permissions, catalogue: items, sources }, ctx) {
    const bySource = new Map((sources ?? []).map((r) => [r.key, r]));
    return permissionTable(permissions, items, ctx.style, sources ? (k) => (bySource.has(k) ? source(bySource.get(k)!, ctx.style) : '') : undefined);
  },
  exitCode: ({ permissions }, _ctx, { flags }) => (flags['exit-code'] && Object.values(permissions).some((v) => !v) ? 1 : 0),
});

const mineCmd = defineCommand({
  name: 'mine',
  summary: 'Your own effective permissions',
  flags: {},
  examples: ['roster permissions mine', 'roster permissions mine --json | jq ".permissions[\\"files.upload\\"]"'],
  run: (ctx) => ctx.api().me.permissions.query(),
  human: ({ permissions }, ctx) => permissionTable(permissions, undefined, ctx.style),
});

export const permissions = defineGroup({
  name: 'permissions',
  summary: 'Permission keys: the default template, the catalogue, effective permissions of a user',
  children: [defaults, check, catalogue, mineCmd],
  examples: [
    'roster permissions catalogue',
    'roster permissions default set files.upload=false',
    'roster permissions check uma@example.com files.upload users.search',
    'roster permissions mine',
  ],
});
