/** What bench/export.ts and bench/bulk.ts share: generated users and an owner's session. */


/**
 * `n` users in one INSERT … SELECT generate_series (as bench/search.ts does),
 * with names that need quoting or the formula guard now and then.
 */
export function insertUsersSql(n: number, prefix = 'bench'): string {
  return `insert into users (id, email, name, role, status, usage_bytes, quota_bytes, last_active_at, created_at, updated_at)
    select gen_random_uuid(), '${prefix}' || i || '@example.com',
           case i % 50 when 0 then '=Formula ' || i when 1 then 'Comma, "Quoted" ' || i else 'Bench User ' || i end,
           case when i % 100 = 0 then 'pending' else 'user' end, 'active',
           (i % 5000)::bigint * 1048576, case when i % 5 = 0 then 107374182400 end,
           case when i % 3 = 0 then now() - make_interval(secs => i % 86400) end,
           timestamptz '2026-01-01' + make_interval(secs => i), now()
      from generate_series(1, ${n}) as i`;
}

/**
 * Many users fast: the indexes on users that back no constraint are dropped,
 * the rows go in, and each index is built again from its own definition (a
 * GIN index updated row by row is the slow part; bench/peers/data.ts does the same).
 */
export async function fillUsers(execute: (sql: string) => Promise<unknown>, n: number, prefix = 'bench'): Promise<void> {
  const indexes = (await execute(
    `select c.relname as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = 'users'::regclass and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`,
  )) as { name: string; def: string }[];
  for (const { name } of indexes) await execute(`drop index ${name}`);
  await execute(insertUsersSql(n, prefix));
  await execute(`set maintenance_work_mem = '512MB'`);
  for (const { def } of indexes) await execute(def);
  await execute('vacuum analyze users');
}

/** Creates the owner over HTTP and returns their session token (the Bearer the CLI would send). */
export async function createOwnerSession(base: string): Promise<string> {
  const res = await fetch(`${base}/api/trpc/setup.createOwner`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'owner@example.com', name: 'Bench Owner', password: 'correct horse battery' }),
  });
  if (!res.ok) throw new Error(`setup.createOwner: HTTP ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('roster_session='));
  if (!cookie) throw new Error('no session cookie');
  return decodeURIComponent(cookie.split(';')[0]!.split('=')[1]!);
}

/** A tRPC call over HTTP as `token`. */
export async function trpc<T>(base: string, token: string, path: string, input: unknown, method: 'GET' | 'POST' = 'POST'): Promise<T> {
  const url = method === 'GET' ? `${base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}` : `${base}/api/trpc/${path}`;
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: method === 'POST' ? JSON.stringify(input) : undefined,
  });
  const body = (await res.json()) as { result?: { data: T }; error?: unknown };
  if (!res.ok || !body.result) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body.error)}`);
  return body.result.data;
}
