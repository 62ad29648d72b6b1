import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteUser, PURGE_JOB, purgeJobId, uploadFile, type Actor } from '@roster/core';
import { deletionFixture, PASSWORD, type DeletionFixture } from '../../support/deletion.ts';
import { startWorkerProcess, waitUntil, type WorkerProcess } from '../../support/worker.ts';

/** The real worker process purges on time, restore cancels, immediate and transfer work end to end. */
let fx: DeletionFixture;
let worker: WorkerProcess;
beforeAll(async () => {
  fx = await deletionFixture();
  worker = await startWorkerProcess({ databaseUrl: fx.api.databaseUrl, redisUrl: fx.redisUrl, dataDir: fx.dataDir });
});
afterAll(async () => {
  await worker?.kill();
  await fx?.close();
});

async function* bytes(n: number) {
  yield Buffer.alloc(n, 0x62);
}
const addFiles = async (u: Actor, n: number) => {
  for (let i = 0; i < n; i++) await uploadFile(fx.deps(), u, { name: `doc${i}.txt`, size: 100, body: bytes(100) });
};
const filesIn = (label: string) => {
  const dir = path.join(fx.dataDir, 'upload', label);
  return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]).filter((e) => e.isFile()).length : 0;
};
const exists = async (id: string) => (await fx.footprint(id)).users === 1;
const purgedAt = async (id: string) =>
  (await fx.sql<{ at: Date }[]>(`select at from audit_log where action = 'user.purge' and target_id = ?`, [id]))[0]?.at;

describe('worker process', () => {
  it('purges at the due time (within a few seconds), not before', { timeout: 60_000 }, async () => {
    const u = await fx.makeUser({ storageLabel: 'timed' });
    await addFiles(u, 3);
    const { user } = await deleteUser(fx.deps(), fx.owner, { id: u.id, delayMs: 4_000 });
    const due = new Date(user.purgeAt!).getTime();
    let lastSeen = 0;
    await waitUntil(
      async () => {
        const t = Date.now();
        if (await exists(u.id)) lastSeen = t;
        else return true;
        return false;
      },
      20_000,
      'the scheduled purge',
      50,
    );
    const at = new Date((await purgedAt(u.id))!).getTime();
    expect(lastSeen).toBeGreaterThan(due - 1_000); // still there right up to the due time
    expect(at).toBeGreaterThanOrEqual(due - 250);
    expect(at - due).toBeLessThan(3_000);
    expect(filesIn('timed')).toBe(0);
  });

  it('a job that runs before purge_at (a stale one from an earlier deletion) waits for it instead', { timeout: 60_000 }, async () => {
    const u = await fx.makeUser();
    const { user } = await deleteUser(fx.deps(), fx.owner, { id: u.id, delayMs: 5_000 });
    const due = new Date(user.purgeAt!).getTime();
    await (await fx.queue.getJob(purgeJobId(u.id)))!.remove();
    await fx.queue.add(PURGE_JOB, { userId: u.id }, { jobId: purgeJobId(u.id) });
    await waitUntil(async () => (await fx.queue.getJob(purgeJobId(u.id)))?.processedOn != null, 10_000, 'the early run');
    expect(await exists(u.id)).toBe(true);
    await waitUntil(async () => !(await exists(u.id)), 20_000, 'the purge at its due time');
    const at = new Date((await purgedAt(u.id))!).getTime();
    expect(at).toBeGreaterThanOrEqual(due - 250);
    expect(at - due).toBeLessThan(3_000);
    // It was moved back to delayed, not failed and retried.
    expect(worker.output()).not.toContain(`${purgeJobId(u.id)} failed`);
  });

  it('restore before the due time: nothing removed, job gone, the user signs in again', { timeout: 60_000 }, async () => {
    const u = await fx.makeUser({ storageLabel: 'saved' });
    await addFiles(u, 2);
    const { user } = await deleteUser(fx.deps(), fx.owner, { id: u.id, delayMs: 2_000 });
    expect(await fx.queue.getJob(purgeJobId(u.id))).toBeTruthy();
    await fx.api.as(fx.ownerJar).admin.users.restore({ id: u.id });
    expect(await fx.queue.getJob(purgeJobId(u.id))).toBeUndefined();
    // Past the old due time (plus the worker's reaction time) nothing has happened.
    const due = new Date(user.purgeAt!).getTime();
    await waitUntil(() => Date.now() > due + 3_000, 10_000, 'the old due time to pass');
    expect(await fx.footprint(u.id)).toMatchObject({ users: 1, files: 2, invitations: 2, resetTokens: 1 });
    expect(filesIn('saved')).toBe(2);
    expect(await purgedAt(u.id)).toBeUndefined();
    const res = await fx.api.as().auth.signIn({ email: u.email, password: PASSWORD });
    expect(res.user.status).toBe('active');
  });

  it('immediate deletion through the router purges right away', { timeout: 60_000 }, async () => {
    const u = await fx.makeUser({ storageLabel: 'now' });
    await addFiles(u, 2);
    await fx.api.as(fx.ownerJar).admin.users.delete({ id: u.id, immediate: true });
    await waitUntil(async () => !(await exists(u.id)), 15_000, 'the immediate purge');
    expect(filesIn('now')).toBe(0);
    expect(await fx.purgeAudits(u.id)).toHaveLength(1);
  });

  it('transfer moves the files on disk and their bytes to the target, then purges the rest', { timeout: 60_000 }, async () => {
    const u = await fx.makeUser({ storageLabel: 'leaving' });
    const heir = await fx.makeUser({ storageLabel: 'heiress' });
    await addFiles(u, 4);
    await addFiles(heir, 1);
    await fx.api.as(fx.ownerJar).admin.users.delete({ id: u.id, immediate: true, transferToUserId: heir.id });
    await waitUntil(async () => !(await exists(u.id)), 15_000, 'the purge with transfer');
    expect(filesIn('leaving')).toBe(0);
    expect(filesIn('heiress')).toBe(5);
    const h = await fx.api.as(fx.ownerJar).admin.users.get({ id: heir.id });
    expect(h.usageBytes).toBe(500);
    expect(await fx.footprint(heir.id)).toMatchObject({ users: 1, files: 5, sessions: 1, invitations: 2, resetTokens: 1 });
  });
});
