import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deleteUser, purgeJobId } from '@roster/core';
import { freePort } from '@roster/db/embedded-postgres';
import { createTestApi, type TestApi } from '../../support/api.ts';
import { deletionFixture, type DeletionFixture } from '../../support/deletion.ts';
import { startWorkerProcess, waitUntil, type WorkerProcess } from '../../support/worker.ts';

/**
 * The job pipeline heals itself without a worker restart: a purge the web
 * could not queue, schedules Redis lost, a purge that fails for good (one
 * notice, not one per sweep), and a stopping worker that does not wait on a
 * long job for ever. Real worker processes, this file's own redis-server.
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

const worker = async (env: Record<string, string> = {}) => {
  const w = await startWorkerProcess({ databaseUrl: fx.api.databaseUrl, redisUrl: fx.redisUrl, dataDir: fx.dataDir, env });
  workers.push(w);
  return w;
};
const stopWorkers = () => Promise.all(workers.splice(0).map((w) => w.kill()));
// A test that fails half-way must not leave its worker to take the next test's jobs.
afterEach(() => Promise.all(workers.splice(0).map((w) => w.kill('SIGKILL'))));
const gone = async (id: string) => (await fx.footprint(id)).users === 0;
const audits = (action: string, id: string) => fx.sql(`select details from audit_log where action = ? and target_id = ?`, [action, id]);

describe('self-healing job pipeline', () => {
  it('Redis unreachable from the web only: the purge still runs within a minute (the due sweep)', { timeout: 120_000 }, async () => {
    // The defaults (ROSTER_DUE_SWEEP_MS 30 s, nightly ROSTER_SWEEP_CRON); the worker's Redis is fine all along.
    await worker();
    const u = await fx.makeUser();
    // A web process whose Redis is a closed port, on the same database.
    let web: TestApi | undefined;
    try {
      web = await createTestApi({ redisUrl: `redis://127.0.0.1:${await freePort()}` });
      const deps = { em: fx.deps().em, clock: web.services.clock, sessions: web.services.sessions, jobs: web.services.jobs, dataDir: fx.dataDir };
      const t0 = Date.now();
      const { queued } = await deleteUser(deps, fx.owner, { id: u.id, immediate: true });
      expect(queued).toBe(false);
      expect(await fx.queue.getJob(purgeJobId(u.id))).toBeUndefined();
      await waitUntil(() => gone(u.id), 60_000, 'the purge the web could not queue', 250);
      expect(Date.now() - t0).toBeLessThan(60_000);
      expect(await fx.purgeAudits(u.id)).toHaveLength(1);
    } finally {
      await web?.close();
    }
    await stopWorkers();
  });

  it('FLUSHALL while the worker runs: repeat schedules come back and a scheduled purge still happens', { timeout: 90_000 }, async () => {
    const w = await worker({ ROSTER_DUE_SWEEP_MS: '1000' });
    const names = async () => (await fx.queue.getJobSchedulers()).map((s) => s.key ?? s.name).sort();
    const before = await names();
    expect(before).toEqual(expect.arrayContaining(['sessions.cleanup', 'storage.sweepOrphans', 'user.sweep']));
    const u = await fx.makeUser();
    const { user } = await deleteUser(fx.deps(), fx.owner, { id: u.id, delayMs: 8_000 });
    expect(await fx.queue.getJob(purgeJobId(u.id))).toBeTruthy();
    await fx.redisClient.flushall();
    expect(await fx.queue.getJobSchedulers()).toHaveLength(0);
    await waitUntil(async () => (await names()).join() === before.join(), 10_000, 'the schedules registered again');
    expect(w.output()).toContain('repeat schedules were missing from Redis');
    await waitUntil(async () => !!(await fx.queue.getJob(purgeJobId(u.id))), 10_000, 'the lost purge queued again');
    await waitUntil(() => gone(u.id), 20_000, 'the scheduled purge');
    const [{ at }] = await fx.sql<{ at: Date }[]>(`select at from audit_log where action = 'user.purge' and target_id = ?`, [u.id]);
    expect(new Date(at).getTime()).toBeGreaterThanOrEqual(new Date(user.purgeAt!).getTime() - 250);
    await stopWorkers();
  });

  it('a purge that fails for good is recorded once and not queued again by every sweep; purge-now retries it', { timeout: 90_000 }, async () => {
    // Sweeps every second, the full one too: the old sweeper re-queued (and re-audited) a failed purge on each pass.
    await worker({ ROSTER_DUE_SWEEP_MS: '1000', ROSTER_SWEEP_CRON: '* * * * * *' });
    const u = await fx.makeUser();
    const heir = await fx.makeUser();
    await deleteUser(fx.deps(), fx.owner, { id: u.id, delayMs: 1_500, transferToUserId: heir.id });
    await fx.api.as(fx.ownerJar).admin.users.suspend({ id: heir.id, reason: 'left' });
    await waitUntil(async () => (await audits('user.purge.blocked', u.id)).length > 0, 20_000, 'the blocked purge');
    const [row] = await fx.sql<{ failed_at: Date | null; failure: string | null }[]>(
      `select purge_failed_at as failed_at, purge_failure as failure from users where id = ?`,
      [u.id],
    );
    expect(row!.failed_at).not.toBeNull();
    expect(row!.failure).toContain('suspended');
    // Several full sweeps later: still one notice, the job left failed, nothing removed.
    const sweeps = async () => (await fx.queue.getCompleted(0, 999)).filter((j) => j.name === 'user.sweep').length;
    const seen = await sweeps();
    await waitUntil(async () => (await sweeps()) >= seen + 4, 20_000, 'four more full sweeps', 250);
    expect(await audits('user.purge.blocked', u.id)).toHaveLength(1);
    expect(await (await fx.queue.getJob(purgeJobId(u.id)))?.getState()).toBe('failed');
    expect(await fx.footprint(u.id)).toMatchObject({ users: 1, invitations: 2 });
    // The admin fixes the target and retries: the mark is cleared and the purge runs.
    await fx.api.as(fx.ownerJar).admin.users.unsuspend({ id: heir.id });
    await fx.api.as(fx.ownerJar).admin.users.purgeNow({ id: u.id });
    await waitUntil(() => gone(u.id), 20_000, 'the retried purge');
    expect(await audits('user.purge.retry', u.id)).toHaveLength(1);
    await stopWorkers();
  });

  it('a stopping worker lets go of a long job after ROSTER_WORKER_CLOSE_MS; the next worker resumes it', { timeout: 90_000 }, async () => {
    const slow = await worker({ ROSTER_PURGE_STEP_DELAY_MS: '60000', ROSTER_WORKER_CLOSE_MS: '1000', ROSTER_JOB_LOCK_MS: '2000', ROSTER_JOB_STALLED_MS: '1000' });
    const u = await fx.makeUser();
    await deleteUser(fx.deps(), fx.owner, { id: u.id, immediate: true });
    await waitUntil(
      async () => (await fx.sql<{ s: Date | null }[]>(`select purge_started_at as s from users where id = ?`, [u.id]))[0]?.s != null,
      20_000,
      'the purge to begin',
    );
    const t0 = Date.now();
    await slow.kill('SIGTERM');
    expect(Date.now() - t0).toBeLessThan(6_000);
    expect(slow.output()).toContain('jobs still running after 1000 ms');
    expect(slow.child.exitCode).toBe(0);
    expect(await gone(u.id)).toBe(false);
    await worker({ ROSTER_JOB_LOCK_MS: '2000', ROSTER_JOB_STALLED_MS: '1000' });
    await waitUntil(() => gone(u.id), 30_000, 'the resumed purge');
    expect(await fx.purgeAudits(u.id)).toHaveLength(1);
    await stopWorkers();
  });
});
