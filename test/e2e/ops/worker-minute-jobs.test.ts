import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletionFixture, type DeletionFixture } from '../../support/deletion.ts';
import { startWorkerProcess, waitUntil, type WorkerProcess } from '../../support/worker.ts';

/**
 * The real worker process keeps its every-minute jobs scheduled, and they do
 * their work with no one asking: the audit chainer links new events, and the
 * search.blocks refresh cleans the blocks a new user dirtied (migration 0026).
 * One worker and one new user for both: the crons run side by side, so the
 * second wait is mostly over when the first ends.
 */
let fx: DeletionFixture;
let worker: WorkerProcess | undefined;
/** What the new user left to do: events to link, blocks to refresh (each must be some, or the waits below prove nothing). */
const left = { unchained: 0, dirtyBlocks: 0 };
beforeAll(async () => {
  fx = await deletionFixture();
  worker = await startWorkerProcess({ databaseUrl: fx.api.databaseUrl, redisUrl: fx.redisUrl, dataDir: fx.dataDir });
  await fx.makeUser();
  left.unchained = await unchained();
  left.dirtyBlocks = await dirtyBlocks();
});
afterAll(async () => {
  await worker?.kill();
  await fx?.close();
});

const count = async (sql: string) => (await fx.sql<{ n: number }[]>(sql))[0]!.n;
const unchained = () => count(`select count(*)::int as n from audit_log where seq is null`);
const dirtyBlocks = () =>
  count(`select ((select count(*) from user_search_blocks where grams is null) + (select count(*) from user_search_block_marks))::int as n`);

describe('the worker’s every-minute jobs', () => {
  it('are scheduled: audit.chain, audit.prune and search.blocks', async () => {
    const keys = (await fx.queue.getJobSchedulers()).map((s) => s.key ?? s.name);
    expect(keys).toEqual(expect.arrayContaining(['audit.chain', 'audit.prune', 'search.blocks']));
  });

  it('the chainer links new events within its minute', { timeout: 120_000 }, async () => {
    expect(left.unchained).toBeGreaterThan(0);
    // A cron of every minute: the next run is at most a minute away.
    await waitUntil(async () => (await unchained()) === 0, 90_000, 'the chainer', 500);
    expect(await fx.api.as(fx.ownerJar).admin.audit.verify()).toMatchObject({ ok: true });
  });

  it('the search.blocks refresh cleans dirty blocks within its minute, leaving no clean block without its users’ grams', { timeout: 120_000 }, async () => {
    expect(left.dirtyBlocks).toBeGreaterThan(0);
    await waitUntil(async () => (await dirtyBlocks()) === 0, 90_000, 'the search.blocks refresh', 500);
    const stale = await count(
      `select count(*)::int as n from users u cross join lateral (select grams from user_search_blocks b
         where b.sort = 'name' and (b.lo_key, b.lo_id) <= (u.name, u.id) order by b.lo_key desc, b.lo_id desc limit 1) as b
        where not b.grams @> roster_search_grams(u.search_text)`,
    );
    expect(stale).toBe(0);
  });
});
