import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listUsers, refreshSearchBlocks, systemClock, type CoreDeps } from '@roster/core';
import { migrate, openOrm, type EntityManager, type MikroORM } from '@roster/db';
import { createTestDatabase } from '@roster/test/support/database';

/**
 * The name and email skip index (migration 0026, search-blocks.ts): the
 * refresh cuts each order into blocks whose grams hold their users'; writes
 * mark blocks dirty, never stale; searches sorted by name or email give the
 * pages a plain query gives, through the blocks, while blocks are dirty, and
 * when a dirty block is too big to read (the fallback). Blocks of 100 users
 * here (the product's are 1,000), so 6,000 users make 60 per order.
 */
const USERS = 6000;
const TARGET = 100;
let orm: MikroORM;
const deps = () => ({ em: orm.em.fork() as EntityManager, clock: systemClock }) as unknown as CoreDeps;
const sql = <T = Record<string, unknown>>(q: string, params: unknown[] = []) => orm.em.fork().execute<T[]>(q, params);
const refresh = () => refreshSearchBlocks(orm.em.fork(), performance.now() + 60_000, TARGET);

beforeAll(async () => {
  orm = await openOrm(await createTestDatabase(), { poolMax: 4 });
  await migrate(orm);
  // Odd i: "Olivia Jones<i>", z.olivia<i>@y.test: 3,000 matches of "olivia", together at the end of both orders.
  await sql(
    `insert into users (id, email, name, role, status, created_at, purge_at)
     select gen_random_uuid(),
            case when i % 2 = 1 then 'z.olivia' || i || '@y.test' else 'a' || i || '@x.test' end,
            case when i % 2 = 1 then 'Olivia Jones' || lpad(i::text, 4, '0') else 'Aaron Smith' || lpad(i::text, 4, '0') end,
            case when i % 7 = 0 then 'admin' else 'user' end,
            case when i % 11 = 0 then 'deleted' when i % 13 = 0 then 'suspended' else 'active' end,
            timestamptz '2025-01-01' + make_interval(mins => i),
            case when i % 11 = 0 then now() + interval '30 days' end
       from generate_series(1, ${USERS}) as i`,
  );
  await sql('analyze users');
});
afterAll(() => orm?.close());

/** Users whose block (the last lower bound at or before them) is clean but lacks one of their grams: must be none. */
async function staleUsers(): Promise<number> {
  const [row] = await sql<{ n: number }>(
    `select count(*)::int as n from users u, (values ('name'), ('email')) as s(sort)
       cross join lateral (select b.sort, b.lo_key, b.lo_id, b.grams from user_search_blocks b
                            where b.sort = s.sort and (b.lo_key, b.lo_id) <= (case s.sort when 'name' then u.name else u.email end, u.id)
                            order by b.lo_key desc, b.lo_id desc limit 1) as b
      where b.grams is not null and not b.grams @> roster_search_grams(u.search_text)
        and not exists (select 1 from user_search_block_marks m where m.sort = b.sort and m.lo_key = b.lo_key and m.lo_id = b.lo_id)`,
  );
  return row!.n;
}
/** Blocks a search reads whole: grams never computed, or marked by a write since. */
const dirty = async () =>
  await sql<{ sort: string; n: number }>(
    `select b.sort, count(*)::int as n from user_search_blocks b
      where b.grams is null or exists (select 1 from user_search_block_marks m where m.sort = b.sort and m.lo_key = b.lo_key and m.lo_id = b.lo_id)
      group by b.sort order by b.sort`,
  );

async function plainPage(term: string, col: 'name' | 'email', direction: 'asc' | 'desc', page: number) {
  const rows = await sql<{ id: string }>(
    `select id from users where status in ('active', 'suspended') and search_text like '%' || ? || '%'
      order by ${col} ${direction}, id ${direction} offset ? limit 25`,
    [term, (page - 1) * 25],
  );
  return rows.map((r) => r.id);
}

async function expectSamePages(terms: string[], pages = [1, 3, 40]) {
  for (const orderBy of ['name', 'email'] as const) {
    for (const direction of ['asc', 'desc'] as const) {
      for (const term of terms) {
        for (const page of pages) {
          const got = await listUsers(deps(), { query: term, orderBy, direction, page, pageSize: 25 });
          expect(got.items.map((u) => u.id), `${term} by ${orderBy} ${direction}, page ${page}`).toEqual(await plainPage(term.toLowerCase(), orderBy, direction, page));
        }
      }
    }
  }
}

describe('search blocks', () => {
  it('start as one dirty block per order, which the refresh splits and then fills', async () => {
    expect(await dirty()).toEqual([
      { sort: 'email', n: 1 },
      { sort: 'name', n: 1 },
    ]);
    expect(await refresh()).toMatchObject({ done: true });
    expect(await dirty()).toEqual([]);
    const sizes = await sql<{ sort: string; blocks: number; biggest: number }>(
      `select s.sort, count(*)::int as blocks, max(n)::int as biggest from (values ('name'), ('email')) as s(sort)
         cross join lateral (select b.lo_key, b.lo_id, (select count(*) from users u
                               where (case s.sort when 'name' then u.name else u.email end, u.id) >= (b.lo_key, b.lo_id)
                                 and (h.lo_key is null or (case s.sort when 'name' then u.name else u.email end, u.id) < (h.lo_key, h.lo_id))) as n
                               from user_search_blocks b left join lateral (select n.lo_key, n.lo_id from user_search_blocks n
                                 where n.sort = b.sort and (n.lo_key, n.lo_id) > (b.lo_key, b.lo_id) order by n.lo_key, n.lo_id limit 1) as h on true
                              where b.sort = s.sort) as b
        group by s.sort order by s.sort`,
    );
    expect(sizes).toEqual([
      { sort: 'email', blocks: USERS / TARGET, biggest: TARGET },
      { sort: 'name', blocks: USERS / TARGET, biggest: TARGET },
    ]);
    expect(await staleUsers()).toBe(0);
  });

  it('give the pages a plain query gives, in both orders and directions, near and far', async () => {
    await expectSamePages(['Olivia', 'z.olivia', 'smith', '7']);
  });

  it('are what answers: a block made to lack a term loses its matches (then put back)', async () => {
    // The first name-ordered block holding an Olivia, its grams emptied: only a search through the blocks skips it.
    const [block] = await sql<{ lo_key: string; lo_id: string }>(
      `select lo_key, lo_id from user_search_blocks where sort = 'name' and grams @> array['oli', 'liv', 'ivi', 'via'] order by lo_key, lo_id limit 1`,
    );
    await sql(`update user_search_blocks set grams = '{}' where sort = 'name' and lo_key = ? and lo_id = ?`, [block!.lo_key, block!.lo_id]);
    try {
      const got = await listUsers(deps(), { query: 'olivia', orderBy: 'name', direction: 'asc', page: 1, pageSize: 25 });
      expect(got.items.map((u) => u.id)).not.toEqual(await plainPage('olivia', 'name', 'asc', 1));
      expect(got.items.every((u) => u.name > block!.lo_key)).toBe(true);
    } finally {
      await sql(`update user_search_blocks set grams = null where sort = 'name' and lo_key = ? and lo_id = ?`, [block!.lo_key, block!.lo_id]);
      await refresh();
    }
  });

  it('are marked dirty by new users and renames, not by other updates, and searches find the new names before the refresh', async () => {
    const [{ id } = { id: '' }] = await sql<{ id: string }>(
      `insert into users (id, email, name, role, status) values (gen_random_uuid(), 'z.olivia0000b@y.test', 'Olivia Jones0000b', 'user', 'active') returning id`,
    );
    expect(await dirty()).toEqual([
      { sort: 'email', n: 1 },
      { sort: 'name', n: 1 },
    ]);
    await expectSamePages(['olivia jones0000b', 'Olivia'], [1]);
    await refresh();
    await sql(`update users set last_active_at = now(), usage_bytes = 5 where id = ?`, [id]);
    expect(await dirty()).toEqual([]);
    // Renamed to sit among the Aarons: the block it lands in is marked, the one it left keeps a superset.
    await sql(`update users set name = 'Aaron Olivia', email = 'a.olivia@x.test' where id = ?`, [id]);
    expect(await dirty()).toEqual([
      { sort: 'email', n: 1 },
      { sort: 'name', n: 1 },
    ]);
    const first = await listUsers(deps(), { query: 'olivia', orderBy: 'name', direction: 'asc', page: 1, pageSize: 25 });
    expect(first.items[0]).toMatchObject({ id, name: 'Aaron Olivia' });
    await refresh();
    expect(await staleUsers()).toBe(0);
  });

  it('a dirty block too big to read: the search answers another way, exactly, until the refresh splits it', async () => {
    // 4,500 users landing in the last block of each order, which the reader takes up to 4,000 entries of.
    await sql(
      `insert into users (id, email, name, role, status)
       select gen_random_uuid(), 'zz.olivia' || i || '@y.test', 'Zz Olivia' || lpad(i::text, 5, '0'), 'user', 'active' from generate_series(1, 4500) as i`,
    );
    await expectSamePages(['Olivia', 'zz olivia'], [1, 3]);
    await refresh();
    expect(await dirty()).toEqual([]);
    expect(await staleUsers()).toBe(0);
    await expectSamePages(['zz olivia'], [1, 3]);
  });

  it('let two open transactions add users to one block without waiting for each other, and the refresh wait for neither', async () => {
    await refresh();
    expect(await dirty()).toEqual([]);
    const insert = (tx: EntityManager, n: string) =>
      tx.execute(`insert into users (id, email, name, role, status) values (gen_random_uuid(), ?, ?, 'user', 'active')`, [`z.olivia9999${n}@y.test`, `Olivia Jones9999${n}`]);
    let inserted!: () => void;
    let release!: () => void;
    const aInserted = new Promise<void>((r) => (inserted = r));
    const aReleased = new Promise<void>((r) => (release = r));
    // A keeps its transaction open after its insert, as the import does with batch N while it writes batch N+1.
    const a = orm.em.fork().transactional(async (tx) => {
      await insert(tx as EntityManager, 'a');
      inserted();
      await aReleased;
    });
    await aInserted;
    try {
      const started = performance.now();
      await orm.em.fork().transactional(async (tx) => {
        await tx.execute(`set local lock_timeout = '3s'`);
        await insert(tx as EntityManager, 'b');
      });
      expect(performance.now() - started).toBeLessThan(2000);
      // A write is in flight: the refresh gives way at once instead of queueing in front of the next one.
      expect(await refresh()).toMatchObject({ done: false, busy: true });
    } finally {
      release();
      await a;
    }
    expect(await refresh()).toMatchObject({ done: true });
    expect(await staleUsers()).toBe(0);
    await expectSamePages(['olivia jones9999'], [1]);
  });

  it('stay a superset while the refresh runs beside inserts and renames', { timeout: 60_000 }, async () => {
    await sql(`update user_search_blocks set grams = null where sort = 'name'`);
    const writes = (async () => {
      for (let i = 0; i < 20; i++) {
        await sql(
          `insert into users (id, email, name, role, status)
           select gen_random_uuid(), 'c' || ${i} || '.' || j || '@r.test', 'Carol Race' || ${i} || '.' || j, 'user', 'active' from generate_series(1, 25) as j`,
        );
        await sql(`update users set name = name || 'x' where name like 'Carol Race' || ? || '.%'`, [i]);
      }
    })();
    const refreshes = (async () => {
      for (let i = 0; i < 10; i++) await refresh();
    })();
    await Promise.all([writes, refreshes]);
    expect(await staleUsers()).toBe(0);
    await refresh();
    expect(await staleUsers()).toBe(0);
    await expectSamePages(['carol race1', 'x'], [1, 2]);
  });
});
