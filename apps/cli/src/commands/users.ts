import type { inferRouterInputs } from '@trpc/server';
import type { AppRouter } from '@roster/api';
import { defineCommand, defineGroup } from '../cli/command.ts';
import { plural } from '../cli/output.ts';
import { userTable } from '../format/user.ts';

type ListInput = Exclude<inferRouterInputs<AppRouter>['admin']['users']['list'], void | undefined>;
type Role = NonNullable<ListInput['roles']>[number];
type Status = NonNullable<ListInput['statuses']>[number];
type OrderBy = NonNullable<ListInput['orderBy']>;

/** Lists every member of a union, or fails to compile: keeps these choices in step with the API's enums. */
const every =
  <T extends string>() =>
  <const A extends readonly T[]>(...values: A & ([T] extends [A[number]] ? unknown : 'missing a value')) =>
    values;

const ROLES = every<Role>()('owner', 'admin', 'user', 'pending');
const STATUSES = every<Status>()('active', 'suspended', 'deleted');
const SORT = every<OrderBy>()('name', 'email', 'role', 'createdAt', 'lastActiveAt', 'usage');
/** The server's defaults, repeated so the footer can say which rows are shown. */
const PAGE_SIZE = 25;

const list = defineCommand({
  name: 'list',
  summary: 'List users, searched, filtered and paged',
  description: 'Deleted users are hidden unless --status deleted asks for them. Needs the user:list permission (admins and the owner).',
  flags: {
    query: { type: 'string', short: 'q', value: 'TEXT', description: 'Case-insensitive search in names and emails' },
    role: { type: 'string', multiple: true, value: 'ROLE', choices: ROLES, description: 'Only these roles' },
    status: { type: 'string', multiple: true, value: 'STATUS', choices: STATUSES, description: 'Only these statuses' },
    sort: { type: 'string', value: 'FIELD', choices: SORT, description: 'Sort by this field, default createdAt' },
    desc: { type: 'boolean', description: 'Sort in descending order' },
    page: { type: 'string', value: 'N', int: { min: 1 }, description: 'Page number (default 1)' },
    'page-size': { type: 'string', value: 'N', int: { min: 1, max: 100 }, description: `Users per page, at most 100 (default ${PAGE_SIZE})` },
    wide: { type: 'boolean', short: 'w', description: 'Also show id, storage and creation date' },
  },
  examples: [
    'roster users list',
    'roster users list --query olga',
    'roster users list --role admin,owner --sort lastActiveAt --desc',
    'roster users list --status suspended --json | jq -r ".items[].email"',
  ],
  async run(ctx, { flags }) {
    const input: ListInput = {
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
    if (!result.items.length) {
      if (result.total > 0) return `Page ${page} is past the end: ${plural(result.total, 'user')} in total.`;
      return query ? `No users match "${query}".` : 'No users.';
    }
    const first = (page - 1) * pageSize + 1;
    const last = first + result.items.length - 1;
    const pages = Math.ceil(result.total / pageSize);
    const footer =
      pages > 1
        ? `Showing ${first}–${last} of ${plural(result.total, 'user')} (page ${page} of ${pages}${page < pages ? `; next: --page ${page + 1}` : ''})`
        : plural(result.total, 'user');
    return `${userTable(result.items, s, wide)}\n${s.dim(footer)}`;
  },
});

export const users = defineGroup({
  name: 'users',
  summary: 'Manage user accounts',
  children: [list],
  examples: ['roster users list --query olga', 'roster users list --json'],
});
