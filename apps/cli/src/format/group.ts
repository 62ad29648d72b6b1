import type { Outputs } from '../api-types.ts';
import { countdown, dateTime, keyValues, plural, relativeTime, table, type Style } from '../cli/output.ts';

/** A group as the admin API returns it (list rows and `create`/`update`). */
export type Group = Outputs['admin']['groups']['create'];
/** One group with its members and managers (`admin.groups.get`). */
export type GroupDetail = Outputs['admin']['groups']['get'];
export type Member = GroupDetail['members'][number];
/** What a bulk membership call did to each id: added, updated, unchanged, removed, notMember, notFound, … */
export type Outcome = Outputs['admin']['groups']['addMembers']['results'][number]['outcome'];

/** `files.upload, users.search` or a dim "none". */
export const keyList = (keys: readonly string[], s: Style) => (keys.length ? keys.join(', ') : s.dim('none'));

/** When a time-boxed membership ends: "2027-01-31 18:00 UTC (in 6 days)". */
export function expiry(iso: string | null | undefined, s: Style): string {
  if (!iso) return s.dim('never');
  const left = countdown(iso);
  return `${dateTime(iso)} ${s.dim(`(${left === 'now' ? 'due now' : left})`)}`;
}

export function groupTable(groups: readonly Group[], s: Style, wide = false): string {
  return table(
    groups,
    [
      ...(wide ? [{ header: 'ID', cell: (g: Group) => s.dim(g.id) }] : []),
      { header: 'NAME', cell: (g) => s.bold(g.name) },
      { header: 'MEMBERS', cell: (g) => String(g.memberCount).padStart(7) },
      { header: 'GRANTS', cell: (g) => (g.grants.length ? s.green(g.grants.join(', ')) : s.dim('-')) },
      { header: 'DENIES', cell: (g) => (g.denies.length ? s.red(g.denies.join(', ')) : s.dim('-')) },
      { header: 'DESCRIPTION', cell: (g) => g.description ?? '' },
    ],
    s,
  );
}

/** One group: its settings, then its members (managers first, expiries shown). */
export function groupDetails(g: GroupDetail, s: Style): string {
  const rows: [string, string][] = [
    ['Name', s.bold(g.name)],
    ['Description', g.description || s.dim('none')],
    ['Grants', g.grants.length ? s.green(g.grants.join(', ')) : s.dim('none')],
    ['Denies', g.denies.length ? s.red(g.denies.join(', ')) : s.dim('none')],
    ['Members', `${plural(g.memberCount, 'member')}, ${plural(g.members.filter((m) => m.manager).length, 'manager')}`],
    ['Created', `${g.createdAt.slice(0, 10)} (${relativeTime(g.createdAt)})`],
    ['ID', s.dim(g.id)],
  ];
  const out = [keyValues(rows, s)];
  if (g.members.length) out.push('', memberTable(g.members, s));
  if (g.membersTruncated) out.push(s.dim(`Showing the first ${g.members.length} members.`));
  return out.join('\n');
}

/** Members with email (admins) or without (managers see names only), managers marked, expiries shown. */
export function memberTable(members: readonly Pick<Member, 'userId' | 'name' | 'email' | 'manager' | 'expiresAt'>[], s: Style, opts: { ids?: boolean } = {}): string {
  const withEmail = members.some((m) => m.email);
  type M = (typeof members)[number];
  return table(
    members,
    [
      ...(opts.ids ? [{ header: 'ID', cell: (m: M) => s.dim(m.userId) }] : []),
      { header: 'NAME', cell: (m) => m.name },
      ...(withEmail ? [{ header: 'EMAIL', cell: (m: M) => m.email ?? '' }] : []),
      { header: 'MANAGER', cell: (m) => (m.manager ? s.cyan('manager') : '') },
      { header: 'EXPIRES', cell: (m) => (m.expiresAt ? expiry(m.expiresAt, s) : '') },
    ],
    s,
  );
}

const OUTCOME_WORDS: Record<string, [string, string?]> = {
  added: ['added'],
  updated: ['updated', 'new expiry'],
  unchanged: ['unchanged', 'already so'],
  removed: ['removed'],
  notMember: ['not a member'],
  notFound: ['not found'],
  manager: ['manager'],
  notManager: ['not a manager'],
};

/** "2 added, 1 unchanged (already so); not found: nobody@example.com". */
export function outcomeSummary(results: readonly { user: string; outcome: string }[], s: Style): string {
  const counts = new Map<string, number>();
  for (const r of results) if (r.outcome !== 'notFound') counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const parts = [...counts].map(([o, n]) => {
    const [word, note] = OUTCOME_WORDS[o] ?? [o];
    return `${n} ${word}${note ? s.dim(` (${note})`) : ''}`;
  });
  return parts.join(', ') || 'nobody changed';
}
