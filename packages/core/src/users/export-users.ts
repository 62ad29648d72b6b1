import { raw } from '@mikro-orm/core';
import { User } from '@roster/db';
import type { CoreDeps } from '../deps.ts';
import type { BulkFilter } from './bulk/selection.ts';
import { csvLine } from './export-csv.ts';
import { nameOrEmailContains } from './fields.ts';
import { inGroups, USER_ORDER_FIELDS } from './list-users.ts';

export const EXPORT_COLUMNS = ['id', 'name', 'email', 'role', 'status', 'created_at', 'last_active_at', 'quota_bytes', 'usage_bytes', 'groups'] as const;

export interface ExportFilter extends BulkFilter {
  orderBy?: (typeof USER_ORDER_FIELDS)[number];
  direction?: 'asc' | 'desc';
}

/** Rows per FETCH: big enough that round trips do not dominate, small enough that memory stays flat. */
const BATCH = 2_000;
const utc = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** `roster-users-YYYYMMDD-HHmmss.csv`, in UTC. */
export function exportFileName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `roster-users-${stamp}.csv`;
}

/**
 * Every user the list shows for the filter (admin.users.list's filters and
 * order), as CSV, handed to `write` a batch of lines at a time: a cursor in
 * one read-only transaction (one snapshot), so memory stays flat at any
 * number of users and `write` can wait for the reader (backpressure).
 * Returns how many users were written.
 */
export async function exportUsers(deps: CoreDeps, filter: ExportFilter, write: (chunk: string) => Promise<void>): Promise<number> {
  const where: unknown[] = [];
  if (filter.roles?.length) where.push({ role: { $in: filter.roles } });
  where.push({ status: { $in: filter.statuses?.length ? filter.statuses : ['active', 'suspended'] } });
  if (filter.groupIds?.length) where.push(inGroups(filter.groupIds));
  if (filter.query?.trim()) where.push(nameOrEmailContains(filter.query.trim()));
  const field = filter.orderBy ?? 'createdAt';
  const column = deps.em.getMetadata(User).properties[field === 'usage' ? 'usageBytes' : field].fieldNames[0]!;
  const dir = filter.direction ?? 'asc';
  const q = deps.em
    .fork()
    .createQueryBuilder(User, 'u0')
    .select([
      raw('u0.id'), raw('u0.name'), raw('u0.email'), raw('u0.role'), raw('u0.status'),
      raw(`${utc('u0.created_at')} as created_at`), raw(`${utc('u0.last_active_at')} as last_active_at`),
      raw('u0.quota_bytes'), raw('u0.usage_bytes'),
      raw(`(select string_agg(g.name, ';' order by g.name) from group_members gm join groups g on g.id = gm.group_id
             where gm.user_id = u0.id and (gm.expires_at is null or gm.expires_at > now())) as groups`),
    ])
    .where({ $and: where } as never)
    .toQuery();
  const order = `order by u0.${column} ${dir}${field === 'lastActiveAt' ? ' nulls last' : ''}, u0.id ${dir}`;
  let count = 0;
  await write(csvLine([...EXPORT_COLUMNS]));
  await deps.em.fork().transactional(
    async (em) => {
      await em.execute(`declare roster_export no scroll cursor for ${q.sql} ${order}`, [...q.params], 'run');
      for (;;) {
        const rows = await em.execute<Record<(typeof EXPORT_COLUMNS)[number], string | number | null>[]>(`fetch ${BATCH} from roster_export`);
        if (!rows.length) break;
        count += rows.length;
        await write(rows.map((r) => csvLine(EXPORT_COLUMNS.map((c) => r[c]))).join(''));
      }
    },
    { readOnly: true },
  );
  return count;
}
