/**
 * A checksum per table of a test database, to prove a refused call changed
 * nothing. Columns that any authenticated request may move (last-seen
 * times, Lucia's sliding session expiry) are left out.
 */
export const VOLATILE_COLUMNS = new Set(['users.last_active_at', 'sessions.last_seen_at', 'sessions.expires_at']);

/**
 * Audit events a refused call writes by design (issue 9: failed sign-ins and
 * holds are audited): left out of audit_log's checksum, nothing else is.
 */
export const REFUSAL_AUDIT_ACTIONS = ['auth.signInFailed', 'auth.accountHeld', 'auth.addressHeld'];

type Query = <T>(sql: string) => Promise<T[]>;

/** Returns a function giving `{ table: md5 }` for every table, in one round trip. */
export async function tableChecksums(query: Query): Promise<() => Promise<Record<string, string>>> {
  const cols = await query<{ table_name: string; column_name: string }>(
    `select table_name, column_name from information_schema.columns
      where table_schema = 'public' and table_name not like 'mikro_orm%' order by table_name, ordinal_position`,
  );
  const byTable = new Map<string, string[]>();
  for (const c of cols) {
    if (VOLATILE_COLUMNS.has(`${c.table_name}.${c.column_name}`)) continue;
    if (!byTable.has(c.table_name)) byTable.set(c.table_name, []);
    byTable.get(c.table_name)!.push(`"${c.column_name}"`);
  }
  const sql = [...byTable]
    .map(([t, cs]) => {
      const row = `md5(row(${cs.join(',')})::text)`;
      const where = t === 'audit_log' ? ` where action not in (${REFUSAL_AUDIT_ACTIONS.map((a) => `'${a}'`).join(', ')})` : '';
      return `select '${t}' as t, (select md5(coalesce(string_agg(${row}, ',' order by ${row}), '')) from "${t}"${where}) as h`;
    })
    .join(' union all ');
  return async () => Object.fromEntries((await query<{ t: string; h: string }>(sql)).map((r) => [r.t, r.h]));
}

/** Tables whose checksum differs between two snapshots. */
export const changedTables = (a: Record<string, string>, b: Record<string, string>) => Object.keys({ ...a, ...b }).filter((t) => a[t] !== b[t]);
