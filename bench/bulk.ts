/**
 * Bulk suspend of 10,000 users (issue 12): `admin.users.bulk` over HTTP on
 * the built app, processed by a worker (the jobs registry's, in this
 * process, ROSTER_WORKER_CONCURRENCY-like pool of connections), polled with
 * `admin.jobs.get` until done. Each user goes through suspendUser (its
 * checks, its transaction, its audit row, its sessions ended). Floors in the
 * same run: `admin.users.suspend` called one user at a time over HTTP (what a
 * script would do without bulk), and one SQL UPDATE of the same rows (no
 * checks, no audit).
 *
 *   pnpm --filter @roster/web build
 *   node bench/bulk.ts                       # 10,000 users
 *   BENCH_USERS=2000 node bench/bulk.ts
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { systemClock } from '@roster/core';
import { openOrm } from '@roster/db';
import { startWorker } from '@roster/jobs';
import { startBenchApp } from './bench-app.ts';
import { createOwnerSession, insertUsersSql, trpc } from './bulk-support.ts';
import { loadAverage } from './report.ts';

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const SINGLE = Number(process.env.BENCH_SINGLE ?? 500);

async function main() {
  const load = loadAverage();
  const app = await startBenchApp('bulk');
  const orm = await openOrm(app.orm.config.get('clientUrl')!, { poolMax: 8 });
  const worker = await startWorker({ redisUrl: app.redisUrl, orm, clock: systemClock, dataDir: os.tmpdir(), log: () => {} });
  try {
    const token = await createOwnerSession(app.base);
    const conn = app.orm.em.getConnection();
    await conn.execute(insertUsersSql(USERS, 'bulk'));
    await conn.execute(insertUsersSql(SINGLE, 'single'));
    await conn.execute(insertUsersSql(USERS, 'floor'));
    await conn.execute('analyze users');
    const ids = (p: string) => conn.execute<{ id: string }[]>(`select id from users where email like '${p}%' order by email`).then((r) => r.map((x) => x.id));

    let t = performance.now();
    const { jobId } = await trpc<{ jobId: string }>(app.base, token, 'admin.users.bulk', { ids: await ids('bulk'), action: 'suspend', args: { reason: 'bench' } });
    const queuedS = (performance.now() - t) / 1000;
    let status: { state: string; summary?: { done: number; skipped: number; failed: number } };
    for (;;) {
      status = await trpc(app.base, token, 'admin.jobs.get', { id: jobId }, 'GET');
      if (status.state === 'completed' || status.state === 'failed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const bulkS = (performance.now() - t) / 1000;
    const [check] = await conn.execute<{ suspended: number; audit: number }[]>(
      `select (select count(*)::int from users where email like 'bulk%' and status = 'suspended') as suspended,
              (select count(*)::int from audit_log where action = 'user.suspend') as audit`,
    );

    const singles = await ids('single');
    t = performance.now();
    for (const id of singles) await trpc(app.base, token, 'admin.users.suspend', { id, reason: 'bench' });
    const singleS = (performance.now() - t) / 1000;

    const floorIds = await ids('floor');
    t = performance.now();
    await conn.execute(`update users set status = 'suspended', suspended_reason = 'bench' where id in (select value::uuid from jsonb_array_elements_text(?::jsonb))`, [JSON.stringify(floorIds)]);
    const sqlS = (performance.now() - t) / 1000;

    console.log(`\nload average before: ${load}; after: ${loadAverage()} (${os.cpus().length} cores)`);
    console.log(`bulk suspend: ${USERS.toLocaleString('en')} users in ${bulkS.toFixed(1)} s = ${Math.round(USERS / bulkS)} users/s (request + preview ${queuedS.toFixed(2)} s), job ${status.state}, ${JSON.stringify(status.summary)}`);
    console.log(`  check: ${check!.suspended} suspended, ${check!.audit} user.suspend audit rows`);
    console.log(`floor, one admin.users.suspend call at a time over HTTP: ${SINGLE} users in ${singleS.toFixed(1)} s = ${Math.round(SINGLE / singleS)} users/s`);
    console.log(`floor, one SQL UPDATE (no checks, no audit, no sessions): ${USERS.toLocaleString('en')} rows in ${sqlS.toFixed(2)} s`);
  } finally {
    await worker.close();
    await orm.close();
    await app.stop();
  }
}

await main();
