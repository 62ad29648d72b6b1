/**
 * Roster beside better-auth (admin plugin) and a bare floor (issue 10).
 *
 * One embedded PostgreSQL holds both systems' databases with the same users
 * (data.ts); Roster runs as its README runs it (the built web app through
 * apps/web/server.ts, redis-server beside it), better-auth and the floor as
 * node:http servers; autocannon drives each on 127.0.0.1 at 1 and 32
 * connections. Prints one table with the ratios and writes bench/RESULTS.md.
 *
 *   pnpm --filter @roster/web build && node bench/peers/run.ts
 *   BENCH_USERS=100000 BENCH_SECONDS=3 node bench/peers/run.ts          # quicker
 *   BENCH_PG_DIR=/var/tmp/roster-peers node bench/peers/run.ts           # keep the cluster and its users for later runs
 *   BENCH_ONLY='search name|session' node bench/peers/run.ts             # only scenarios matching a pattern
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { getMigrations } from 'better-auth/db/migration';
import pg from 'pg';
import { refreshSearchBlocks } from '@roster/core';
import { migrate, openOrm } from '@roster/db';
import { loadEnv, webNodeFlags } from '../../packages/config/src/index.ts';
import { freePort, startEmbeddedPostgres } from '@roster/db/embedded-postgres';
import { startRedisServer } from '@roster/jobs/redis-server';
import { makeBetterAuth } from './better-auth-config.ts';
import { fillBetterAuth, fillRoster } from './data.ts';
import { drive } from './drive.ts';
import { format, writeResults, type Row } from './report.ts';
import { buildScenarios } from './scenarios.ts';
import { termsFor } from './terms.ts';

const USERS = Number(process.env.BENCH_USERS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,32').split(',').map(Number);
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
const PROBES = Number(process.env.BENCH_PROBES ?? 3);
const repoRoot = path.resolve(import.meta.dirname, '../..');
const TERMS = termsFor(USERS);

/** Spawns a server and waits until `ready` answers. */
async function startServer(name: string, args: string[], env: Record<string, string>, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; ; i++) {
    if (await fetch(ready).then((r) => r.status < 500, () => false)) return child;
    if (child.exitCode != null || i > 600) throw new Error(`${name} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const cookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .filter((c) => !c.endsWith('='))
    .join('; ');

async function main() {
  const keep = process.env.BENCH_PG_DIR;
  const root = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'roster-peers-'));
  fs.mkdirSync(root, { recursive: true });
  fs.chmodSync(root, 0o755);
  const webEntry = path.join(repoRoot, 'apps/web/build/index.js');
  if (!fs.existsSync(webEntry)) throw new Error('apps/web/build is missing: run `pnpm --filter @roster/web build` first');
  const pgServer = await startEmbeddedPostgres(path.join(root, 'pg'), { quiet: true });
  const children: ChildProcess[] = [];
  let redis: Awaited<ReturnType<typeof startRedisServer>> | undefined;
  const admin = new pg.Client(pgServer.url('postgres'));
  await admin.connect();
  // The server stopping ends these connections: not an error of the run.
  const quiet = (c: pg.Client) => (c.on('error', () => {}), c);
  quiet(admin);
  try {
    // Roster's database, migrated as npm start does; the users generated unless this cluster already has them.
    await pgServer.createDatabase('roster');
    await pgServer.createDatabase('better_auth');
    for (const db of ['roster', 'better_auth']) await admin.query(`alter database ${db} reset statement_timeout`); // set again below
    const orm = await openOrm(pgServer.url('roster'), { poolMax: 1 });
    const applied = await migrate(orm);
    await orm.close();
    // A request the harness gave up on must not keep a backend busy into the next scenario: the servers'
    // connections get a statement timeout (set as the databases' default); the harness's own have none.
    for (const db of ['roster', 'better_auth']) await admin.query(`alter database ${db} set statement_timeout = '15s'`);
    const noTimeout = `set statement_timeout = 0`;
    const rosterDb = quiet(new pg.Client(pgServer.url('roster')));
    await rosterDb.connect();
    await rosterDb.query(noTimeout);
    await rosterDb.query(`create table if not exists bench_meta (users int)`);
    // Generated after the owner is set up through the app (the first run's setup wants an empty users table).
    const regenerate = (await rosterDb.query(`select users from bench_meta`)).rows[0]?.users !== USERS;
    if (regenerate) {
      await rosterDb.query(`truncate users cascade; delete from bench_meta`);
      console.log(`Roster: migrations ${applied.join(', ') || 'up to date'}; will generate ${USERS.toLocaleString('en')} users`);
    } else {
      console.log(`Roster: reusing ${USERS.toLocaleString('en')} users in ${root}; migrations ${applied.join(', ') || 'up to date'}`);
      if (applied.length) await rosterDb.query('vacuum analyze users');
    }

    const baPort = await freePort();
    const baBase = `http://127.0.0.1:${baPort}`;
    const ba = makeBetterAuth(pgServer.url('better_auth'), baBase);
    const { runMigrations } = await getMigrations(ba.options as never);
    await runMigrations();
    const baDb = quiet(new pg.Client(pgServer.url('better_auth')));
    await baDb.connect();
    await baDb.query(noTimeout);
    await baDb.query(`create table if not exists bench_meta (users int)`);
    if ((await baDb.query(`select users from bench_meta`)).rows[0]?.users !== USERS) {
      const t1 = performance.now();
      console.log(`better-auth: generating ${USERS.toLocaleString('en')} users…`);
      await fillBetterAuth(baDb, USERS);
      await baDb.query(`delete from bench_meta; insert into bench_meta values (${USERS})`);
      console.log(`  ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    }
    // Its admin, made through its own API, then given the admin role.
    const BA_ADMIN = { email: 'bench-admin@bench.test', password: 'correct horse battery', name: 'Bench Admin' };
    if (!(await baDb.query(`select 1 from "user" where email = $1`, [BA_ADMIN.email])).rowCount) await ba.auth.api.signUpEmail({ body: BA_ADMIN });
    await baDb.query(`update "user" set role = 'admin' where email = $1`, [BA_ADMIN.email]);
    await ba.pool.end();

    // The three servers.
    redis = await startRedisServer(path.join(root, 'redis'), await freePort());
    const rosterPort = await freePort();
    const rosterBase = `http://127.0.0.1:${rosterPort}`;
    children.push(
      await startServer(
        'Roster',
        // BENCH_CPU_PROF=DIR writes Roster's CPU profile there when it stops (node --cpu-prof), to see where a request's time goes.
        [...webNodeFlags(loadEnv({})), ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), path.join(repoRoot, 'apps/web/server.ts')],
        {
          DATABASE_URL: pgServer.url('roster'),
          REDIS_URL: redis.url,
          ROSTER_DATA_DIR: path.join(root, 'roster-data'),
          PORT: String(rosterPort),
          HOST: '127.0.0.1',
          NODE_ENV: 'production',
        },
        `${rosterBase}/api/trpc/setup.status`,
      ),
    );
    children.push(
      await startServer(
        'better-auth',
        [path.join(import.meta.dirname, 'better-auth-server.ts')],
        { DATABASE_URL: pgServer.url('better_auth'), PORT: String(baPort), NODE_ENV: 'production', BETTER_AUTH_TELEMETRY: '0' },
        `${baBase}/api/auth/ok`,
      ),
    );
    const floorPort = await freePort();
    const floorBase = `http://127.0.0.1:${floorPort}`;
    children.push(
      await startServer(
        'floor',
        [path.join(import.meta.dirname, 'floor-server.ts')],
        { DATABASE_URL: pgServer.url('better_auth'), PORT: String(floorPort) },
        `${floorBase}/`,
      ),
    );

    // Sessions: Roster's owner (created on the first run, signed in on later ones) and better-auth's admin.
    const OWNER = { email: 'bench-owner@bench.test', name: 'Bench Owner', password: 'correct horse battery' };
    const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    let setup = await post(`${rosterBase}/api/trpc/setup.createOwner`, OWNER);
    if (!setup.ok && process.env.BENCH_DEBUG) console.error(await setup.text());
    if (!setup.ok) setup = await post(`${rosterBase}/api/trpc/auth.signIn`, { email: OWNER.email, password: OWNER.password });
    if (!setup.ok) throw new Error(`Roster sign-in: ${setup.status} ${await setup.text()}`);
    const rosterCookie = cookieOf(setup);
    if (regenerate) {
      const t0 = performance.now();
      await fillRoster(rosterDb, USERS);
      await rosterDb.query(`insert into bench_meta values (${USERS})`);
      console.log(`Roster: ${USERS.toLocaleString('en')} users generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    {
      // The search skip index (migration 0026) is kept fresh by the worker's search.blocks job each minute; the
      // harness starts no worker, so it does that job's work here until every block is clean, as a running instance would have.
      const t0 = performance.now();
      const blocksOrm = await openOrm(pgServer.url('roster'), { poolMax: 1 });
      await blocksOrm.em.execute(noTimeout); // its one connection: a first split of a million users outlasts the servers' timeout
      const { written } = await refreshSearchBlocks(blocksOrm.em.fork(), Infinity);
      await blocksOrm.close();
      if (written) console.log(`Roster: ${written} search blocks refreshed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const baSignIn = await post(`${baBase}/api/auth/sign-in/email`, { email: BA_ADMIN.email, password: BA_ADMIN.password }, { origin: baBase });
    if (!baSignIn.ok) throw new Error(`better-auth sign-in: ${baSignIn.status} ${await baSignIn.text()}`);
    const baCookie = cookieOf(baSignIn);
    const rosterHeaders = { cookie: rosterCookie, 'content-type': 'application/json' };
    const baHeaders = { cookie: baCookie, origin: baBase, 'content-type': 'application/json' };
    for (const [name, base, p, h] of [
      ['Roster', rosterBase, '/api/trpc/auth.me', rosterHeaders],
      ['better-auth', baBase, '/api/auth/get-session', baHeaders],
      ['floor', floorBase, '/', baHeaders],
    ] as const) {
      const r = await fetch(base + p, { headers: h });
      const text = await r.text();
      if (!r.ok || !text.includes('bench')) throw new Error(`${name} session check: ${r.status} ${text.slice(0, 200)}`);
    }

    /**
     * Waits until no server is still working on requests a cell gave up on, so scenarios do not overlap:
     * neither database has a statement running (cancelled after 5 s), and no server process used more than
     * a tenth of a CPU over the last 200 ms (better-auth can still be hashing a backlog of passwords; at most 30 s).
     */
    const cpuTicks = (pid: number) => {
      try {
        const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        return Number(f[11]) + Number(f[12]);
      } catch {
        return 0;
      }
    };
    const settle = async () => {
      for (let i = 0; i < 50; i++) {
        const { rows } = await admin.query(
          `select count(*)::int as n from pg_stat_activity where datname in ('roster', 'better_auth') and state = 'active' and pid <> pg_backend_pid()`,
        );
        if (rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
        if (i === 49) await admin.query(`select pg_cancel_backend(pid) from pg_stat_activity where datname in ('roster', 'better_auth') and state = 'active'`);
      }
      const pids = children.map((c) => c.pid!).filter(Boolean);
      for (let i = 0; i < 150; i++) {
        const before = pids.map(cpuTicks);
        await new Promise((r) => setTimeout(r, 200));
        // Clock ticks are 10 ms: at most 2 in 200 ms is under a tenth of a CPU.
        if (pids.every((p, k) => cpuTicks(p) - before[k]! <= 2)) return;
      }
    };

    // Users to change and delete: distinct ordinary users, never the admins the harness signs in as.
    const rosterIds = (await rosterDb.query(`select id from users where role = 'user' and status = 'active' order by created_at desc limit 40000`)).rows.map((r) => r.id as string);
    const baIds = (await baDb.query(`select id from "user" where role = 'user' order by "createdAt" desc limit 40000`)).rows.map((r) => r.id as string);
    const roleIds = { roster: rosterIds.slice(0, 1000), ba: baIds.slice(0, 1000) };
    const deleteIds = { roster: rosterIds.slice(1000), ba: baIds.slice(1000) };
    const runId = Date.now().toString(36);
    const scenarios = buildScenarios({ rosterBase, baBase, floorBase, rosterHeaders, baHeaders, roleIds, deleteIds, runId, terms: TERMS, probes: PROBES });

    if (process.env.BENCH_HOLD) {
      // Keep the three servers up for measuring by hand (autocannon, top, a profiler): their addresses and headers go to the file named.
      fs.writeFileSync(process.env.BENCH_HOLD, JSON.stringify({ rosterBase, rosterHeaders, baBase, baHeaders, floorBase }, null, 2));
      console.log(`Servers up, described in ${process.env.BENCH_HOLD}; Ctrl-C (SIGINT) stops them.`);
      await new Promise((r) => process.once('SIGINT', r));
      return;
    }
    const loadBefore = os.loadavg().map((l) => l.toFixed(1)).join(' ');
    const rows: Row[] = [];
    const started = performance.now();
    for (const s of scenarios) {
      if (ONLY && !ONLY.test(s.name)) continue;
      for (const connections of CONNECTIONS) {
        const row: Row = { scenario: s.name, connections };
        // The per-term pass first: it also warms the caches for the timed runs.
        if (s.probe && connections === 1) row.worstTerm = await s.probe();
        for (const [key, make] of [
          ['roster', s.roster],
          ['betterAuth', s.betterAuth],
          ['floor', s.floor],
        ] as const) {
          const sys = make?.();
          if (!sys) continue;
          await settle();
          row[key] = await drive(sys.base, connections, SECONDS, sys.headers, sys.next);
          await settle();
        }
        rows.push(row);
        console.log(format([row]).split('\n').at(-1));
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    const [{ server_version }] = (await admin.query(`show server_version`)).rows;
    const context =
      `${USERS.toLocaleString('en')} users in each system, ${SECONDS} s per cell, one PostgreSQL ${server_version} server, ` +
      `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model}; load average ${loadBefore} before, ` +
      `${os.loadavg().map((l) => l.toFixed(1)).join(' ')} after (${seconds} s)`;
    const table = format(rows);
    console.log(`\n${context}\n\n${table}`);
    writeResults(table, context, TERMS, PROBES);
    await rosterDb.end();
    await baDb.end();
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode != null ? null : new Promise((r) => c.once('exit', r)))));
    await admin.end().catch(() => {});
    await redis?.stop();
    await pgServer.stop();
    if (!keep) fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
