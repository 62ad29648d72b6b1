import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { membershipExpireJobId } from '@roster/core';
import { deletionFixture, type DeletionFixture } from '../../support/deletion.ts';
import { startWorkerProcess, waitUntil, type WorkerProcess } from '../../support/worker.ts';

/** Time-boxed memberships end on time through the real worker process: by their delayed job, after a restart, and by the sweep when the job is lost. */
let fx: DeletionFixture;
let worker: WorkerProcess | undefined;
const startWorker = async () =>
  (worker = await startWorkerProcess({ databaseUrl: fx.api.databaseUrl, redisUrl: fx.redisUrl, dataDir: fx.dataDir, env: { ROSTER_DUE_SWEEP_MS: '1000' } }));
beforeAll(async () => {
  fx = await deletionFixture();
  await startWorker();
});
afterAll(async () => {
  await worker?.kill();
  await fx?.close();
});

let n = 0;
async function timeBoxed(ms: number) {
  const u = await fx.makeUser();
  const admin = fx.api.as(fx.ownerJar).admin;
  const g = await admin.groups.create({ name: `Boxed ${++n}`, grants: [], denies: ['files.upload'] });
  const expiresAt = new Date(Date.now() + ms).toISOString();
  const res = await admin.groups.addMembers({ groupId: g.id, userIds: [u.id], expiresAt: expiresAt as never });
  expect(res.results).toEqual([{ userId: u.id, outcome: 'added' }]);
  return { u, g, due: new Date(expiresAt).getTime() };
}
const member = async (groupId: string, userId: string) =>
  (await fx.sql<{ n: number }[]>(`select count(*)::int as n from group_members where group_id = ? and user_id = ?`, [groupId, userId]))[0]!.n === 1;
const expiredAudit = (userId: string) =>
  fx.sql<{ at: Date; details: { groupId: string; via: string } }[]>(`select at, details from audit_log where action = 'group.member.expired' and target_id = ?`, [userId]);

describe('membership expiry', () => {
  it('removes the membership at its expiry (within a few seconds), audited, not before', { timeout: 60_000 }, async () => {
    const { u, g, due } = await timeBoxed(3_000);
    expect(await (await fx.queue.getJob(membershipExpireJobId(g.id, u.id)))!.getState()).toBe('delayed');
    let lastSeen = 0;
    await waitUntil(async () => ((await member(g.id, u.id)) ? ((lastSeen = Date.now()), false) : true), 20_000, 'the expiry', 50);
    expect(lastSeen).toBeGreaterThan(due - 1_000);
    const audits = await expiredAudit(u.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ groupId: g.id, via: 'job' });
    const at = new Date(audits[0]!.at).getTime();
    expect(at).toBeGreaterThanOrEqual(due - 250);
    expect(at - due).toBeLessThan(3_000);
  });

  it('survives a worker restart: the delayed job waits in Redis and the next worker runs it', { timeout: 60_000 }, async () => {
    await worker!.kill();
    worker = undefined;
    const { u, g, due } = await timeBoxed(2_000);
    await waitUntil(() => Date.now() > due + 500, 10_000, 'the expiry to pass');
    // No worker: the row is still there, but it already counts for nothing.
    expect(await member(g.id, u.id)).toBe(true);
    expect((await fx.api.as(u.jar).me.permissions()).permissions['files.upload']).toBe(true);
    await startWorker();
    await waitUntil(async () => !(await member(g.id, u.id)), 15_000, 'the expiry after the restart');
    expect(await expiredAudit(u.id)).toHaveLength(1);
  });

  it('a membership whose job Redis lost is removed by the sweep', { timeout: 60_000 }, async () => {
    const { u, g } = await timeBoxed(60_000);
    await (await fx.queue.getJob(membershipExpireJobId(g.id, u.id)))!.remove();
    await fx.sql(`update group_members set expires_at = now() + interval '1 second' where group_id = ? and user_id = ?`, [g.id, u.id]);
    await waitUntil(async () => !(await member(g.id, u.id)), 15_000, 'the sweep to remove it');
    const audits = await expiredAudit(u.id);
    expect(audits).toHaveLength(1);
  });

  it('an expiry moved later (behind its job) keeps the membership until the new time', { timeout: 60_000 }, async () => {
    const { u, g } = await timeBoxed(1_500);
    const later = Date.now() + 6_000;
    await fx.sql(`update group_members set expires_at = ? where group_id = ? and user_id = ?`, [new Date(later), g.id, u.id]);
    // Whether the early job runs and waits again, or the sweep re-times it first, the row decides.
    await waitUntil(() => Date.now() > later - 1_000, 10_000, 'most of the new wait');
    expect(await member(g.id, u.id)).toBe(true);
    await waitUntil(async () => !(await member(g.id, u.id)), 15_000, 'the expiry at its new time');
    const at = new Date((await expiredAudit(u.id))[0]!.at).getTime();
    expect(at).toBeGreaterThanOrEqual(later - 250);
    expect(worker!.output()).not.toContain(`${membershipExpireJobId(g.id, u.id)} failed`);
  });
});
