/**
 * CSV export of 1,000,000 users (issue 12): `GET /api/users/export` on the
 * built app (server.ts, as `npm start` runs it), read as fast as the client
 * can, with the web process's resident memory sampled every 250 ms — flat,
 * since rows come from a cursor 2,000 at a time and the socket's
 * backpressure paces the reads. Floor: the same rows read through a cursor
 * by a plain `pg` client (no CSV, no HTTP), in the same run.
 *
 *   pnpm --filter @roster/web build
 *   node bench/export.ts                     # 1,000,000 users
 *   BENCH_USERS=100000 node bench/export.ts
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { startBenchApp } from './bench-app.ts';
import { createOwnerSession, fillUsers } from './bulk-support.ts';
import { loadAverage, mib } from './report.ts';

const USERS = Number(process.env.BENCH_USERS ?? 1_000_000);

async function main() {
  const load = loadAverage();
  const app = await startBenchApp('export');
  try {
    // First: setup takes an owner only while the instance has no users.
    const token = await createOwnerSession(app.base);
    let t = performance.now();
    const conn = app.orm.em.getConnection();
    await fillUsers((sql) => conn.execute(sql), USERS);
    console.log(`generated ${USERS.toLocaleString('en')} users in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const idle = app.memory().rss;

    // Floor: the export's own query (core's exportUsers builds it) read by a cursor, without CSV or HTTP.
    const dbUrl = app.orm.config.get('clientUrl')!;
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    t = performance.now();
    await client.query('begin read only');
    await client.query(`declare c no scroll cursor for
      select u.id, u.name, u.email, u.role, u.status, u.created_at, u.last_active_at, u.quota_bytes, u.usage_bytes,
             (select string_agg(g.name, ';' order by g.name) from group_members gm join groups g on g.id = gm.group_id where gm.user_id = u.id) as groups
        from users u where u.status in ('active', 'suspended') order by u.created_at, u.id`);
    let floorRows = 0;
    for (;;) {
      const r = await client.query('fetch 2000 from c');
      if (!r.rows.length) break;
      floorRows += r.rows.length;
    }
    await client.query('commit');
    await client.end();
    const floorS = (performance.now() - t) / 1000;

    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(app.memory().rss), 250);
    t = performance.now();
    const res = await fetch(`${app.base}/api/users/export`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`export: HTTP ${res.status} ${await res.text()}`);
    let bytes = 0;
    let lines = 0;
    const marks: string[] = [];
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
      if (marks.length < 4 && lines >= (USERS * (marks.length + 1)) / 4) marks.push(`${mib(app.memory().rss)} at ${((lines / USERS) * 100).toFixed(0)}%`);
    }
    const exportS = (performance.now() - t) / 1000;
    clearInterval(sampler);
    const peak = Math.max(...samples, app.memory().rss);
    console.log(`\nload average before: ${load}; after: ${loadAverage()}`);
    console.log(`export: ${(lines - 1).toLocaleString('en')} rows, ${mib(bytes)} in ${exportS.toFixed(2)} s (${Math.round((lines - 1) / exportS).toLocaleString('en')} rows/s)`);
    console.log(`floor (same rows through a pg cursor, no CSV/HTTP): ${floorRows.toLocaleString('en')} rows in ${floorS.toFixed(2)} s`);
    console.log(`web RSS: idle ${mib(idle)}, peak during export ${mib(peak)} (+${mib(peak - idle)}), ${samples.length} samples; by progress: ${marks.join(', ')}`);
    console.log(`web VmHWM (lifetime peak): ${mib(app.memory().hwm)}`);
  } finally {
    await app.stop();
  }
}

await main();
