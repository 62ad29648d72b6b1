import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobsProducer, createQueue, JOB_REQUEST_ID_FIELD, recordJobFailure, withRequestId } from '@roster/jobs';
import { startOwnRedis } from '@roster/test/support/worker';

let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let producer: ReturnType<typeof createJobsProducer>;
beforeAll(async () => {
  redis = await startOwnRedis();
  producer = createJobsProducer(redis.url);
});
afterAll(async () => {
  await producer?.close();
  await redis?.stop();
});

describe('the queue probe and request ids in job data', () => {
  it('carries the current request id into the data of a queued job, and nothing outside a request', async () => {
    await withRequestId('req-abc', () => producer.enqueue('storage.recalculateUsage', {}, { jobId: 'probe-1', delayMs: 60_000 }));
    await producer.enqueue('storage.recalculateUsage', { userId: undefined }, { jobId: 'probe-2', delayMs: 60_000 });
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = createQueue(connection);
    try {
      expect((await queue.getJob('probe-1'))!.data).toEqual({ [JOB_REQUEST_ID_FIELD]: 'req-abc' });
      expect((await queue.getJob('probe-2'))!.data).not.toHaveProperty(JOB_REQUEST_ID_FIELD);
    } finally {
      await queue.close();
      await connection.quit();
    }
    expect(await producer.depth()).toMatchObject({ delayed: 2, waiting: 0, failed: 0 });
  });

  it('counts failures per job name and answers a ping; a stopped Redis fails the ping fast', async () => {
    const connection = new Redis(redis.url);
    await recordJobFailure(connection, 'user.purge');
    await recordJobFailure(connection, 'user.purge');
    await recordJobFailure(connection, 'storage.migrate');
    await connection.quit();
    expect(await producer.failures()).toEqual({ 'user.purge': 2, 'storage.migrate': 1 });
    await expect(producer.ping()).resolves.toBeUndefined();
    await redis.stop();
    const started = Date.now();
    await expect(producer.ping()).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
    redis = { ...redis, ...(await redis.restart()) };
  });
});
