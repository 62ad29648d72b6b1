import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOrm, type MikroORM } from '@roster/db';
import { SWEEP_SQL } from '@roster/jobs';
import { createTestDatabase, insertManyUsers } from '@roster/test/support/database';

/**
 * The due sweep runs every 30 s in every worker, so it must cost an index
 * range scan, not a pass over the users table: checked with EXPLAIN on
 * 9,000 users of whom 300 are deleted.
 */
let orm: MikroORM;
beforeAll(async () => {
  const url = await createTestDatabase();
  await insertManyUsers(url, 9_000, { prefix: 'Sweep' });
  orm = await openOrm(url, { poolMax: 1 });
  await orm.em.fork().execute(
    `update users set status = 'deleted', deleted_at = now(), purge_at = now() + (random() * 30 - 1) * interval '1 day'
      where id in (select id from users order by id limit 300)`,
  );
  await orm.em.fork().execute(`analyze users`);
});
afterAll(() => orm?.close());

const plan = async (sql: string, params: unknown[]) =>
  (await orm.em.fork().execute<{ 'QUERY PLAN': string }[]>(`explain ${sql}`, params)).map((r) => r['QUERY PLAN']).join('\n');

describe('deletion sweep queries', () => {
  it('the due sweep reads users_purge_at, never the whole table', async () => {
    const text = await plan(SWEEP_SQL({ dueWithin: true, after: false }), [35]);
    expect(text).toContain('users_purge_at');
    expect(text).not.toMatch(/Seq Scan on users/);
  });

  it('so does the full sweep, page after page', async () => {
    const first = await plan(SWEEP_SQL({ dueWithin: false, after: false }), []);
    const next = await plan(SWEEP_SQL({ dueWithin: false, after: true }), ['2026-12-01 00:00:00+00', '00000000-0000-0000-0000-000000000000']);
    for (const text of [first, next]) {
      expect(text).toContain('users_purge_at');
      expect(text).not.toMatch(/Seq Scan on users/);
    }
  });

  it('finds what is due within the window and nothing else', async () => {
    const rows = await orm.em.fork().execute<{ due_in_ms: string }[]>(SWEEP_SQL({ dueWithin: true, after: false }), [35]);
    const [{ n }] = await orm.em.fork().execute<{ n: string }[]>(
      `select count(*) as n from users where status = 'deleted' and purge_at <= now() + interval '35 seconds'`,
    );
    expect(rows).toHaveLength(Number(n));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(Number(r.due_in_ms)).toBeLessThanOrEqual(35_000);
  });
});
