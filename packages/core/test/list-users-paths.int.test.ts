import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXACT_TOTAL_LIMIT, listUsers, systemClock, USER_ORDER_FIELDS, type CoreDeps } from '@roster/core';
import { migrate, openOrm, type EntityManager, type MikroORM } from '@roster/db';
import { createTestDatabase } from '@roster/test/support/database';

/**
 * listUsers' paths for a broad term (list-users.ts): the bounded walk of the
 * sort index, and the capped candidates when the walked entries hold no full
 * page, as when the matches sit together far down the order ("Olivia" after
 * every "Aaron" sorted by name, "z.olivia" last by email). Every order and
 * direction, a later page and the filters, against a plain query.
 */
const USERS = 6000;
let orm: MikroORM;
const deps = () => ({ em: orm.em.fork() as EntityManager, clock: systemClock }) as unknown as CoreDeps;
const COLUMN = { name: 'name', email: 'email', role: 'role', createdAt: 'created_at', lastActiveAt: 'last_active_at', usage: 'usage_bytes' };

beforeAll(async () => {
  orm = await openOrm(await createTestDatabase(), { poolMax: 2 });
  await migrate(orm);
  // Odd i: "Olivia Jones<i>", z.olivia<i>@y.test (3,000 matches of "olivia", after every Aaron by name and by email);
  // some admins, suspended, deleted, never seen; usage and last seen shuffled so every order mixes them.
  await orm.em.fork().execute(
    `insert into users (id, email, name, role, status, usage_bytes, last_active_at, created_at, purge_at)
     select gen_random_uuid(),
            case when i % 2 = 1 then 'z.olivia' || i || '@y.test' else 'a' || i || '@x.test' end,
            case when i % 2 = 1 then 'Olivia Jones' || lpad(i::text, 4, '0') else 'Aaron Smith' || lpad(i::text, 4, '0') end,
            case when i % 7 = 0 then 'admin' else 'user' end,
            case when i % 11 = 0 then 'deleted' when i % 13 = 0 then 'suspended' else 'active' end,
            (i * 7919 % 1000) * 1024,
            case when i % 5 = 0 then null else timestamptz '2026-01-01' + make_interval(mins => i * 4001 % 10007) end,
            timestamptz '2025-01-01' + make_interval(mins => i * 6007 % 6011),
            case when i % 11 = 0 then now() + interval '30 days' end
       from generate_series(1, ${USERS}) as i`,
  );
  await orm.em.fork().execute('analyze users');
});
afterAll(() => orm?.close());

async function expected(query: string, orderBy: keyof typeof COLUMN, direction: 'asc' | 'desc', page: number, roles?: string[]) {
  const col = COLUMN[orderBy];
  const where = `status in ('active', 'suspended') and search_text like '%' || ? || '%'${roles ? ` and role = any(?::text[])` : ''}`;
  const params: unknown[] = roles ? [query, `{${roles.join(',')}}`] : [query];
  const em = orm.em.fork();
  const ids = await em.execute<{ id: string }[]>(
    `select id from users where ${where}
      order by ${col} ${direction}${orderBy === 'lastActiveAt' ? ' nulls last' : ''}, id ${direction} offset ? limit 25`,
    [...params, (page - 1) * 25],
  );
  const [{ n }] = (await em.execute<{ n: number }[]>(`select count(*)::int as n from users where ${where}`, params)) as [{ n: number }];
  return { ids: ids.map((r) => r.id), n };
}

describe('listUsers with a broad term in every order', () => {
  for (const orderBy of USER_ORDER_FIELDS) {
    for (const direction of ['asc', 'desc'] as const) {
      it(`"olivia" by ${orderBy} ${direction}: the same pages as a plain query`, async () => {
        for (const page of [1, 3]) {
          const want = await expected('olivia', orderBy, direction, page);
          expect(want.n).toBeGreaterThan(2000); // broad: past the few that are always counted
          const got = await listUsers(deps(), { query: 'Olivia', orderBy, direction, page, pageSize: 25 });
          expect(got.items.map((u) => u.id)).toEqual(want.ids);
          expect(got.totalEstimated).toBe(true);
          expect(got.total).toBeGreaterThan(EXACT_TOTAL_LIMIT);
        }
        const admins = await expected('olivia', orderBy, direction, 2, ['admin']);
        const got = await listUsers(deps(), { query: 'OLIVIA', roles: ['admin'], orderBy, direction, page: 2, pageSize: 25 });
        expect(got.items.map((u) => u.id)).toEqual(admins.ids);
        expect(got).toMatchObject({ total: admins.n });
        expect(got.totalEstimated).toBeUndefined();
      });
    }
  }

  it('a term that matches nobody, and one that matches a few, are counted exactly', async () => {
    expect(await listUsers(deps(), { query: 'nobody-here', orderBy: 'name', page: 1, pageSize: 25 })).toEqual({ items: [], total: 0 });
    const few = await listUsers(deps(), { query: 'jones001', orderBy: 'email', direction: 'desc', page: 1, pageSize: 25 });
    expect(few.items.map((u) => u.id)).toEqual((await expected('jones001', 'email', 'desc', 1)).ids);
    expect(few.total).toBe((await expected('jones001', 'email', 'desc', 1)).n);
  });
});
