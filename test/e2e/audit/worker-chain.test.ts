import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletionFixture, type DeletionFixture } from '../../support/deletion.ts';
import { startWorkerProcess, waitUntil, type WorkerProcess } from '../../support/worker.ts';

/** The real worker process schedules the audit chainer and pruner, and links new events with no one calling verify. */
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

const unchained = async () => (await fx.sql<{ n: number }[]>(`select count(*)::int as n from audit_log where seq is null`))[0]!.n;

describe('audit chain in the worker', () => {
  it('keeps audit.chain and audit.prune scheduled, and the chainer links events within its minute', { timeout: 120_000 }, async () => {
    const keys = (await fx.queue.getJobSchedulers()).map((s) => s.key ?? s.name);
    expect(keys).toEqual(expect.arrayContaining(['audit.chain', 'audit.prune']));
    await fx.makeUser();
    expect(await unchained()).toBeGreaterThan(0);
    // A cron of every minute: the next run is at most a minute away.
    await waitUntil(async () => (await unchained()) === 0, 90_000, 'the chainer', 500);
    expect(await fx.api.as(fx.ownerJar).admin.audit.verify()).toMatchObject({ ok: true });
  });
});
