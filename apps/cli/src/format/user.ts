import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@roster/api';
import { bytes, countdown, dateTime, keyValues, relativeTime, table, type Column, type Style } from '../cli/output.ts';

/** The admin view of a user, exactly as the API returns it. */
export type User = inferRouterOutputs<AppRouter>['auth']['me'];

export function role(u: Pick<User, 'role'>, s: Style): string {
  if (u.role === 'owner') return s.cyan(s.bold('owner'));
  if (u.role === 'admin') return s.cyan('admin');
  if (u.role === 'pending') return s.yellow('pending');
  return u.role;
}

export function status(u: User, s: Style, now = Date.now()): string {
  if (u.status === 'active') return s.green('active');
  if (u.status === 'suspended') {
    return s.yellow(u.suspendedUntil ? `suspended, ends ${relativeTime(u.suspendedUntil, now)}` : 'suspended');
  }
  return s.red(`deleted, ${purgeCountdown(u, now)}`);
}

/** "purged in 6 days"; "purge running" once it began; "purge due now" while the job is yet to run. */
export function purgeCountdown(u: Pick<User, 'purgeAt' | 'purgeStartedAt'>, now = Date.now()): string {
  if (u.purgeStartedAt) return 'purge running';
  if (!u.purgeAt) return 'purge not scheduled';
  const when = countdown(u.purgeAt, now);
  return when === 'now' ? 'purge due now' : `purged ${when}`;
}

export function lastSeen(u: User, s: Style, now = Date.now()): string {
  if (u.isActive) return s.green('active now');
  return u.lastActiveAt ? relativeTime(u.lastActiveAt, now) : s.dim('never');
}

export function storage(u: User): string {
  return `${bytes(u.usageBytes)} / ${u.quotaBytes == null ? 'unlimited' : bytes(u.quotaBytes)}`;
}

/** The users table; `wide` adds what scripts and follow-up commands need (id) and what fits on wide screens. */
export function userTable(users: readonly (User & { groups?: readonly { name: string }[] })[], s: Style, wide = false): string {
  const now = Date.now();
  const columns: Column<(typeof users)[number]>[] = [
    { header: 'NAME', cell: (u) => u.name },
    { header: 'EMAIL', cell: (u) => u.email },
    { header: 'ROLE', cell: (u) => role(u, s) },
    { header: 'STATUS', cell: (u) => status(u, s, now) },
    { header: 'LAST SEEN', cell: (u) => lastSeen(u, s, now) },
  ];
  if (wide) {
    columns.unshift({ header: 'ID', cell: (u) => u.id });
    columns.push({ header: 'STORAGE', cell: storage }, { header: 'CREATED', cell: (u) => relativeTime(u.createdAt, now) });
    if (users.some((u) => u.groups)) columns.push({ header: 'GROUPS', cell: (u) => u.groups?.map((g) => g.name).join(', ') ?? '' });
  }
  return table(users, columns, s);
}

/** One user, as `whoami` (and later `users get`) show it; `self` drops "last seen", which is always now. */
export function userDetails(u: User, s: Style, opts: { self?: boolean; extra?: [string, string][] } = {}): string {
  const now = Date.now();
  const rows: [string, string][] = [
    ['Name', s.bold(u.name)],
    ['Email', u.email],
    ['Role', role(u, s)],
    ['Status', status(u, s, now)],
    ['Storage', storage(u)],
    ['Last seen', lastSeen(u, s, now)],
    ['Member since', `${u.createdAt.slice(0, 10)} (${relativeTime(u.createdAt, now)})`],
    ...lifecycleRows(u, s),
    ['ID', s.dim(u.id)],
    ...(opts.extra ?? []),
  ];
  return keyValues(opts.self ? rows.filter(([k]) => k !== 'Last seen') : rows, s);
}

/** What only some accounts have: a label, a pending password change, a suspension, a scheduled purge. */
function lifecycleRows(u: User, s: Style): [string, string][] {
  const rows: [string, string][] = [];
  if (u.storageLabel) rows.push(['Storage label', u.storageLabel]);
  if (u.mustChangePassword) rows.push(['Password', s.yellow('must be changed at next sign-in')]);
  if (u.status === 'suspended') {
    rows.push(['Suspended', `${u.suspendedReason ?? ''}${u.suspendedUntil ? s.dim(` (until ${dateTime(u.suspendedUntil)})`) : s.dim(' (until lifted)')}`]);
  }
  if (u.status === 'deleted') {
    rows.push(['Deleted', dateTime(u.deletedAt)]);
    rows.push(['Purge', `${u.purgeAt ? dateTime(u.purgeAt) : '-'} ${s.dim(`(${purgeCountdown(u)})`)}`]);
  }
  return rows;
}
