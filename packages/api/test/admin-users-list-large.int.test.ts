/** admin.users.list past EXACT_TOTAL_LIMIT: exact totals up to it, an estimate (totalEstimated) beyond, and the right pages either way. */
import { EXACT_TOTAL_LIMIT } from '@roster/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';
import { db } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
const LIMIT = EXACT_TOTAL_LIMIT;
const BULK = LIMIT + 200;
const pad = (i: number) => String(i).padStart(4, '0');

beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
  // LIMIT users at counted.test and 200 at extra.test, created a minute apart in name order.
  await db(api).execute(
    `insert into users (id, email, name, role, status, created_at, updated_at)
     select gen_random_uuid(), 'b' || lpad(i::text, 4, '0') || case when i <= ${LIMIT} then '@counted.test' else '@extra.test' end,
            'Bulk User ' || lpad(i::text, 4, '0'), 'user', 'active',
            timestamptz '2026-01-01' + make_interval(mins => i), timestamptz '2026-01-01'
       from generate_series(1, ${BULK}) as i`,
  );
  await db(api).execute(`analyze users`);
});
afterAll(() => api?.close());

const list = (input: { query?: string; orderBy?: 'name' | 'createdAt'; direction?: 'asc' | 'desc'; page: number; pageSize: number }) =>
  api.as(owner).admin.users.list(input);

describe('admin.users.list with many matches', () => {
  it('counts exactly up to the limit', async () => {
    const counted = await list({ query: 'counted.test', page: 1, pageSize: 25 });
    expect(counted.total).toBe(LIMIT);
    expect(counted).not.toHaveProperty('totalEstimated');
    expect(counted.items.map((u) => u.name)).toEqual(Array.from({ length: 25 }, (_, i) => `Bulk User ${pad(i + 1)}`));
    const last = await list({ query: 'COUNTED', page: LIMIT / 25, pageSize: 25 });
    expect(last.items.map((u) => u.name).at(-1)).toBe(`Bulk User ${pad(LIMIT)}`);
    expect(await list({ query: 'counted', page: LIMIT / 25 + 1, pageSize: 25 })).toEqual({ items: [], total: LIMIT });
  });

  it('sorts and pages an exactly counted result in any order', async () => {
    const res = await list({ query: 'bulk user 11', orderBy: 'createdAt', direction: 'desc', page: 2, pageSize: 30 });
    expect(res.total).toBe(100);
    expect(res.totalEstimated).toBeUndefined();
    expect(res.items.map((u) => u.name)).toEqual(Array.from({ length: 30 }, (_, i) => `Bulk User ${pad(1169 - i)}`));
  });

  it('estimates the total beyond the limit and still returns the right page', async () => {
    const first = await list({ query: 'bulk', page: 1, pageSize: 25 });
    expect(first.totalEstimated).toBe(true);
    expect(first.total).toBeGreaterThan(EXACT_TOTAL_LIMIT);
    expect(first.total).toBeLessThan(BULK * 3);
    expect(first.items.map((u) => u.name)).toEqual(Array.from({ length: 25 }, (_, i) => `Bulk User ${pad(i + 1)}`));

    const deep = await list({ query: 'bulk', page: 48, pageSize: 25 });
    expect(deep.items.map((u) => u.name)).toEqual(Array.from({ length: 25 }, (_, i) => `Bulk User ${pad(1176 + i)}`));
    const byName = await list({ query: 'Bulk', orderBy: 'name', direction: 'desc', page: 1, pageSize: 3 });
    expect(byName.items.map((u) => u.name)).toEqual([BULK, BULK - 1, BULK - 2].map((i) => `Bulk User ${pad(i)}`));
    expect((await list({ page: 1, pageSize: 1 })).totalEstimated).toBe(true);
  });

  it('does not count at all when the planner expects many times the limit', async () => {
    await db(api).execute(
      `insert into users (id, email, name, role, status, created_at, updated_at)
       select gen_random_uuid(), 'm' || i || '@mass.test', 'Mass User ' || lpad(i::text, 5, '0'), 'user', 'active',
              timestamptz '2025-01-01' + make_interval(mins => i), timestamptz '2025-01-01'
         from generate_series(1, 16000) as i`,
    );
    await db(api).execute(`analyze users`);
    const res = await list({ query: 'mass.test', page: 2, pageSize: 10 });
    expect(res.totalEstimated).toBe(true);
    expect(res.total).toBeGreaterThan(8000);
    expect(res.total).toBeLessThan(32000);
    expect(res.items.map((u) => u.name)).toEqual(Array.from({ length: 10 }, (_, i) => `Mass User ${String(11 + i).padStart(5, '0')}`));
    // A rare term next to them is still counted exactly.
    expect(await list({ query: 'bulk user 011', page: 1, pageSize: 25 })).toMatchObject({ total: 10 });
  });

  it('caps users.search at 20 results', async () => {
    expect(await api.as(owner).users.search({ query: 'bulk' })).toHaveLength(20);
  });
});
