import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletionFixture, type DeletionFixture } from '../../support/deletion.ts';
import { startWorkerProcess, waitUntil, type WorkerProcess } from '../../support/worker.ts';

/** The real worker keeps search.blocks scheduled, and it refreshes the blocks a new user marked dirty (migration 0026). */
let fx: DeletionFixture;
let worker: WorkerProcess | undefined;
beforeAll(async () => {
  fx = await deletionFixture();
  worker = await startWorkerProcess({ databaseUrl: fx.api.databaseUrl, redisUrl: fx.redisUrl, dataDir: fx.dataDir });
});
afterAll(async () => {
  await worker?.kill();
  await fx?.close();
});

const dirtyBlocks = async () =>
  (await fx.sql<{ n: number }[]>(`select ((select count(*) from user_search_blocks where grams is null) + (select count(*) from user_search_block_marks))::int as n`))[0]!.n;

describe('search blocks in the worker', () => {
  it('keeps search.blocks scheduled, and it refreshes dirty blocks within its minute', { timeout: 120_000 }, async () => {
    const keys = (await fx.queue.getJobSchedulers()).map((s) => s.key ?? s.name);
    expect(keys).toContain('search.blocks');
    await fx.makeUser();
    expect(await dirtyBlocks()).toBeGreaterThan(0);
    await waitUntil(async () => (await dirtyBlocks()) === 0, 90_000, 'the search.blocks refresh', 500);
    const [stale] = await fx.sql<{ n: number }[]>(
      `select count(*)::int as n from users u cross join lateral (select grams from user_search_blocks b
         where b.sort = 'name' and (b.lo_key, b.lo_id) <= (u.name, u.id) order by b.lo_key desc, b.lo_id desc limit 1) as b
        where not b.grams @> roster_search_grams(u.search_text)`,
    );
    expect(stale!.n).toBe(0);
  });
});
