import type { CoreDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { findUserPage, inGroups, type ListUsersInput } from '../list-users.ts';
import type { BulkTarget } from './actions.ts';

/** The most users one bulk action takes: a preview reads them all, a job's payload carries their ids. */
export const MAX_BULK_SELECTION = 100_000;

/** The users list's filters (admin.users.list without paging). */
export type BulkFilter = Pick<ListUsersInput, 'query' | 'roles' | 'statuses' | 'groupIds'>;
export type BulkSelection = { ids: string[]; filter?: undefined } | { filter: BulkFilter; ids?: undefined };

export type SelectedUser = BulkTarget & { email: string };

/**
 * The users a selection names: explicit ids (unknown ones come back in
 * `missing`), or every user the list would show for the filter, through the
 * list's own query so "select all N matching" means what the page counted.
 */
export async function resolveSelection(deps: CoreDeps, sel: BulkSelection): Promise<{ users: SelectedUser[]; missing: string[] }> {
  if (sel.ids) {
    const ids = [...new Set(sel.ids.map((id) => id.toLowerCase()))];
    if (ids.length > MAX_BULK_SELECTION) throw tooMany();
    const users = await usersByIds(deps, ids);
    const found = new Set(users.map((u) => u.id));
    return { users, missing: ids.filter((id) => !found.has(id)) };
  }
  const where: Record<string, unknown>[] = [];
  const f = sel.filter;
  if (f.roles?.length) where.push({ role: { $in: f.roles } });
  where.push({ status: { $in: f.statuses?.length ? f.statuses : ['active', 'suspended'] } });
  const page = await findUserPage(deps, {
    query: f.query,
    where: f.groupIds?.length ? [...where, () => inGroups(f.groupIds!)] : where,
    fields: ['id', 'email', 'role', 'status', 'purgeStartedAt'],
    orderBy: 'createdAt',
    direction: 'asc',
    offset: 0,
    limit: MAX_BULK_SELECTION + 1,
  });
  if (page.rows.length > MAX_BULK_SELECTION) throw tooMany();
  return { users: page.rows as SelectedUser[], missing: [] };
}

const tooMany = () => new AppError('SELECTION_TOO_LARGE', `A bulk action takes at most ${MAX_BULK_SELECTION.toLocaleString('en')} users; narrow the filter`);

/** The rows the rules need, for a batch of ids, in one query. */
export async function usersByIds(deps: Pick<CoreDeps, 'em'>, ids: string[]): Promise<SelectedUser[]> {
  if (!ids.length) return [];
  return deps.em.execute<SelectedUser[]>(
    `select id, email, role, status, purge_started_at as "purgeStartedAt"
       from users where id in (select value::uuid from jsonb_array_elements_text(?::jsonb))`,
    [JSON.stringify(ids)],
  );
}
