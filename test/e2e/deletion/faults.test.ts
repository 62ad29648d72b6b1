import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteUser, PURGE_JOB, purgeJobId, uploadFile, type Actor } from '@roster/core';
import { deletionFixture, type DeletionFixture } from '../../support/deletion.ts';
import { startWorkerProcess, waitUntil, type WorkerProcess } from '../../support/worker.ts';

/**
 * Fault tests with real worker processes, this file's own redis-server and
 * files on disk. Short BullMQ locks make a killed worker's job come back in
 * seconds; ROSTER_PURGE_STEP_DELAY_MS (test-only) slows each purge step so a
 * worker can be killed in the middle of one.
 */
let fx: DeletionFixture;
const workers: WorkerProcess[] = [];
beforeAll(async () => {
  fx = await deletionFixture();
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill('SIGKILL')));
  await fx?.close();
});

const FAST_RECOVERY = { ROSTER_JOB_LOCK_MS: '2000', ROSTER_JOB_STALLED_MS: '1000' };
const worker = async (env: Record<string, string> = {}) => {
  const w = await startWorkerProcess({ databaseUrl: fx.api.databaseUrl, redisUrl: fx.redisUrl, dataDir: fx.dataDir, env: { ...FAST_RECOVERY, ...env } });
  workers.push(w);
  return w;
};
async function* bytes(n: number) {
  yield Buffer.alloc(n, 0x63);
}
const addFiles = async (u: Actor, n: number) => {
  for (let i = 0; i < n; i++) await uploadFile(fx.deps(), u, { name: `f${i}.bin`, size: 50, body: bytes(50) });
};
const gone = async (id: string) => (await fx.footprint(id)).users === 0;
const started = async (id: string) =>
  (await fx.sql<{ s: Date | null }[]>(`select purge_started_at as s from users where id = ?`, [id]))[0]?.s != null;

describe('faults', () => {
  it('SIGKILL mid-purge, then a new worker: the purge completes once and nothing else is removed', { timeout: 90_000 }, async () => {
    const u = await fx.makeUser({ storageLabel: 'killed' });
    const bystander = await fx.makeUser({ storageLabel: 'bystander' });
    await addFiles(u, 5);
    await addFiles(bystander, 3);
    const before = await fx.footprint(bystander.id);
    const slow = await worker({ ROSTER_PURGE_STEP_DELAY_MS: '1500' });
    await fx.api.as(fx.ownerJar).admin.users.delete({ id: u.id, immediate: true });
    // Files and sessions are done, invitations, reset links and the row are not: kill it there.
    await waitUntil(async () => (await started(u.id)) && (await fx.footprint(u.id)).files === 0, 20_000, 'the files step');
    await slow.kill('SIGKILL');
    expect(await fx.footprint(u.id)).toMatchObject({ users: 1, files: 0, invitations: 2 });
    const fresh = await worker();
    await waitUntil(() => gone(u.id), 30_000, 'the resumed purge');
    expect(fresh.output()).toContain(`purge of ${u.id} resumed`);
    const audits = await fx.purgeAudits(u.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ counts: { files: 5, bytes: 250, invitations: 2, resetTokens: 1 } });
    expect(await fx.footprint(u.id)).toEqual({ users: 0, sessions: 0, invitations: 0, resetTokens: 0, files: 0 });
    expect(await fx.footprint(bystander.id)).toEqual(before);
    await Promise.all(workers.splice(0).map((w) => w.kill()));
  });

  it('FLUSHALL loses the jobs; the sweep at worker start queues them again', { timeout: 60_000 }, async () => {
    const w = await worker();
    const u = await fx.makeUser();
    const { user } = await deleteUser(fx.deps(), fx.owner, { id: u.id, delayMs: 3_000 });
    expect(await fx.queue.getJob(purgeJobId(u.id))).toBeTruthy();
    await w.kill();
    await fx.redisClient.flushall();
    expect(await fx.queue.getJob(purgeJobId(u.id))).toBeUndefined();
    await worker();
    expect(await fx.queue.getJob(purgeJobId(u.id))).toBeTruthy();
    await waitUntil(() => gone(u.id), 15_000, 'the purge queued by the sweep');
    const at = new Date((await fx.sql<{ at: Date }[]>(`select at from audit_log where action = 'user.purge' and target_id = ?`, [u.id]))[0]!.at);
    expect(at.getTime()).toBeGreaterThanOrEqual(new Date(user.purgeAt!).getTime() - 250);
    await Promise.all(workers.splice(0).map((w) => w.kill()));
  });

  it('the repeatable sweep (ROSTER_SWEEP_CRON) queues a deletion Redis never heard of', { timeout: 60_000 }, async () => {
    await worker({ ROSTER_SWEEP_CRON: '*/2 * * * * *' });
    const u = await fx.makeUser();
    // A deletion committed while the queue was unreachable: only the row knows.
    await fx.sql(`update users set status = 'deleted', deleted_at = now(), purge_at = now(), deleted_by_id = ? where id = ?`, [fx.owner.id, u.id]);
    await waitUntil(() => gone(u.id), 15_000, 'the cron sweep and purge');
    expect(await fx.purgeAudits(u.id)).toHaveLength(1);
    await Promise.all(workers.splice(0).map((w) => w.kill()));
  });

  it('Redis down during the delete request: the request succeeds, the purge runs once Redis is back', { timeout: 90_000 }, async () => {
    await worker();
    const u = await fx.makeUser();
    await fx.stopRedis();
    const t0 = Date.now();
    const res = await fx.api.as(fx.ownerJar).admin.users.delete({ id: u.id, immediate: true });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(res).toMatchObject({ queued: false, user: { status: 'deleted' } });
    expect(await fx.footprint(u.id)).toMatchObject({ users: 1, sessions: 0 });
    await fx.startRedisAgain();
    await waitUntil(() => gone(u.id), 30_000, 'the purge after Redis came back');
    expect(await fx.purgeAudits(u.id)).toHaveLength(1);
    await Promise.all(workers.splice(0).map((w) => w.kill()));
  });

  it('two workers, and even two jobs for one user: one purge, one audit record', { timeout: 60_000 }, async () => {
    const pair = await Promise.all([worker({ ROSTER_PURGE_STEP_DELAY_MS: '300' }), worker({ ROSTER_PURGE_STEP_DELAY_MS: '300' })]);
    const users = await Promise.all([1, 2, 3, 4].map(() => fx.makeUser()));
    for (const u of users) await addFiles(u, 2);
    for (const u of users) {
      await deleteUser(fx.deps(), fx.owner, { id: u.id, immediate: true });
      // A duplicate job under another id, as if a stall had been misdetected: both workers may run it at once.
      await fx.queue.add(PURGE_JOB, { userId: u.id }, { jobId: `${purgeJobId(u.id)}.dup` });
    }
    await waitUntil(async () => (await Promise.all(users.map((u) => gone(u.id)))).every(Boolean), 30_000, 'all purges');
    for (const u of users) expect(await fx.purgeAudits(u.id)).toHaveLength(1);
    // They did collide: the advisory lock turned the second run away (its job retries and then finds the user gone).
    expect(pair.map((w) => w.output()).join('')).toContain('is running in another worker');
    await waitUntil(
      async () => (await fx.queue.getJobCounts('active', 'waiting', 'delayed')).active === 0,
      30_000,
      'the duplicate jobs to settle',
    );
    await Promise.all(workers.splice(0).map((w) => w.kill()));
  });
});
