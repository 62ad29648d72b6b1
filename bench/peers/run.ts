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
import autocannon from 'autocannon';
import pg from 'pg';
import { migrate, openOrm } from '@roster/db';
import { freePort, startEmbeddedPostgres } from '@roster/db/embedded-postgres';
import { startRedisServer } from '@roster/jobs/redis-server';
import { makeBetterAuth } from './better-auth-config.ts';
import { FIRST, LAST, fillBetterAuth, fillRoster } from './data.ts';

const USERS = Number(process.env.BENCH_USERS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,32').split(',').map(Number);
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
const PROBES = Number(process.env.BENCH_PROBES ?? 3);
const repoRoot = path.resolve(import.meta.dirname, '../..');
const ORDERS = ['name', 'email', 'role', 'createdAt', 'lastActiveAt', 'usage'] as const;
/** better-auth has no last-seen or usage column: those orders use its updatedAt (last-seen time in data.ts). */
const BA_SORT: Record<(typeof ORDERS)[number], string> = {
  name: 'name',
  email: 'email',
  role: 'role',
  createdAt: 'createdAt',
  lastActiveAt: 'updatedAt',
  usage: 'updatedAt',
};

/** Row i of data.ts, to name users that exist whatever BENCH_USERS is. */
const person = (i: number) => {
  const first = FIRST[i % 100]!;
  const last = LAST[Math.floor(i / 100) % 100]!;
  const local = `${first}.${last}`.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/g, 'l').replace(/ø/g, 'o');
  return { name: `${first} ${last}`, email: `${local}.${i}@example.com` };
};
const someone = person(Math.floor(USERS * 0.6180339) + 7);
/** The term mix: broad (a first name, a last name, the domain, an e-mail prefix, a non-ASCII name), narrow, 1–2 characters, misses. */
const TERMS: { term: string; kind: string; field: 'name' | 'email' }[] = [
  { term: 'Olivia', kind: 'broad', field: 'name' },
  { term: 'élodie', kind: 'broad', field: 'name' },
  { term: 'Smith', kind: 'broad', field: 'name' },
  { term: 'example.com', kind: 'broad', field: 'email' },
  { term: 'olivia.', kind: 'broad', field: 'email' },
  { term: someone.name, kind: 'narrow', field: 'name' },
  { term: someone.email, kind: 'narrow', field: 'email' },
  { term: someone.email.split('@')[0]!.slice(-9), kind: 'narrow', field: 'email' },
  { term: 'e', kind: '1–2 chars', field: 'name' },
  { term: 'li', kind: '1–2 chars', field: 'name' },
  { term: 'zo', kind: '1–2 chars', field: 'name' },
  { term: 'zzqx', kind: 'miss', field: 'name' },
  { term: 'nobody-here', kind: 'miss', field: 'email' },
  { term: '@@@', kind: 'miss', field: 'email' },
];

type Req = { method: string; path: string; body?: string; headers?: Record<string, string> };
interface Stat {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  n: number;
  bad: number;
}
interface Row {
  scenario: string;
  connections: number;
  roster?: Stat;
  betterAuth?: Stat;
  floor?: Stat;
  worstTerm?: { term: string; ms: number };
}

const quantile = (xs: number[], q: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]! : NaN);

/** autocannon for SECONDS over a cycle of requests; latency quantiles from every response. */
async function drive(base: string, connections: number, headers: Record<string, string>, next: () => Req): Promise<Stat> {
  const latencies: number[] = [];
  let bad = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections,
        duration: SECONDS,
        timeout: 20,
        headers,
        requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, ...next() }) }],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      if (status >= 300) bad++;
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / SECONDS,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    n: latencies.length,
    bad: bad + result.errors + result.timeouts,
  };
}

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
    // A request the harness gave up on must not keep a backend busy into the next scenario.
    for (const db of ['roster', 'better_auth']) await admin.query(`alter database ${db} set statement_timeout = '15s'`);
    const orm = await openOrm(pgServer.url('roster'), { poolMax: 1 });
    const applied = await migrate(orm);
    await orm.close();
    const rosterDb = quiet(new pg.Client(pgServer.url('roster')));
    await rosterDb.connect();
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
        [path.join(repoRoot, 'apps/web/server.ts')],
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

    const rosterList = (input: Record<string, unknown>) => `/api/trpc/admin.users.list?input=${encodeURIComponent(JSON.stringify(input))}`;
    const baList = (q: Record<string, string | number>) =>
      `/api/auth/admin/list-users?${new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]))}`;
    const cycle = <T>(xs: T[]) => {
      let i = 0;
      return () => xs[i++ % xs.length]!;
    };
    /** Waits until neither database has a statement running (cancelling any after 5 s), so scenarios do not overlap. */
    const settle = async () => {
      for (let i = 0; i < 50; i++) {
        const { rows } = await admin.query(
          `select count(*)::int as n from pg_stat_activity where datname in ('roster', 'better_auth') and state = 'active' and pid <> pg_backend_pid()`,
        );
        if (rows[0].n === 0) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      await admin.query(`select pg_cancel_backend(pid) from pg_stat_activity where datname in ('roster', 'better_auth') and state = 'active'`);
    };

    // Users to change and delete: distinct ordinary users, never the admins the harness signs in as.
    const rosterIds = (await rosterDb.query(`select id from users where role = 'user' and status = 'active' order by created_at desc limit 40000`)).rows.map((r) => r.id as string);
    const baIds = (await baDb.query(`select id from "user" where role = 'user' order by "createdAt" desc limit 40000`)).rows.map((r) => r.id as string);
    const roleIds = { roster: rosterIds.slice(0, 1000), ba: baIds.slice(0, 1000) };
    const deleteIds = { roster: rosterIds.slice(1000), ba: baIds.slice(1000) };
    const runId = Date.now().toString(36);

    type Sys = { base: string; headers: Record<string, string>; next: () => Req } | null;
    const scenarios: { name: string; roster: () => Sys; betterAuth: () => Sys; floor?: () => Sys; probe?: () => Promise<{ term: string; ms: number }> }[] = [];
    for (const orderBy of ORDERS) {
      for (const direction of ['asc', 'desc'] as const) {
        scenarios.push({
          name: `search ${orderBy} ${direction}`,
          roster: () => ({
            base: rosterBase,
            headers: rosterHeaders,
            next: ((n) => () => ({ method: 'GET', path: rosterList({ query: n().term, orderBy, direction, page: 1, pageSize: 25 }) }))(cycle(TERMS)),
          }),
          betterAuth: () => ({
            base: baBase,
            headers: baHeaders,
            next: ((n) => () => {
              const t = n();
              return {
                method: 'GET',
                path: baList({ searchValue: t.term, searchField: t.field, searchOperator: 'contains', limit: 25, offset: 0, sortBy: BA_SORT[orderBy], sortDirection: direction }),
              };
            })(cycle(TERMS)),
          }),
          // Each term alone, PROBES times in a row: the slowest term's median.
          probe: async () => {
            let worst = { term: '', ms: 0 };
            for (const { term } of TERMS) {
              const times: number[] = [];
              for (let i = 0; i < PROBES; i++) {
                const s = performance.now();
                const r = await fetch(rosterBase + rosterList({ query: term, orderBy, direction, page: 1, pageSize: 25 }), { headers: rosterHeaders });
                await r.arrayBuffer();
                if (!r.ok) throw new Error(`Roster search ${term}: ${r.status}`);
                times.push(performance.now() - s);
              }
              const ms = times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
              if (ms > worst.ms) worst = { term, ms };
            }
            return worst;
          },
        });
      }
    }
    scenarios.push({
      name: 'list, no search, newest first',
      roster: () => ({ base: rosterBase, headers: rosterHeaders, next: () => ({ method: 'GET', path: rosterList({ orderBy: 'createdAt', direction: 'desc', page: 1, pageSize: 25 }) }) }),
      betterAuth: () => ({ base: baBase, headers: baHeaders, next: () => ({ method: 'GET', path: baList({ limit: 25, offset: 0, sortBy: 'createdAt', sortDirection: 'desc' }) }) }),
    });
    scenarios.push({
      name: 'session check',
      roster: () => ({ base: rosterBase, headers: rosterHeaders, next: () => ({ method: 'GET', path: '/api/trpc/auth.me' }) }),
      betterAuth: () => ({ base: baBase, headers: baHeaders, next: () => ({ method: 'GET', path: '/api/auth/get-session' }) }),
      floor: () => ({ base: floorBase, headers: baHeaders, next: () => ({ method: 'GET', path: '/' }) }),
    });
    let createdN = 0;
    scenarios.push({
      name: 'create user (with password)',
      roster: () => ({
        base: rosterBase,
        headers: rosterHeaders,
        next: () => {
          const n = createdN++;
          const body = { email: `c${runId}.${n}@bench.test`, name: `Created ${n}`, password: 'correct horse battery', role: 'user', mustChangePassword: false };
          return { method: 'POST', path: '/api/trpc/admin.users.create', body: JSON.stringify(body) };
        },
      }),
      betterAuth: () => ({
        base: baBase,
        headers: baHeaders,
        next: () => {
          const n = createdN++;
          const body = { email: `c${runId}.${n}@bench.test`, name: `Created ${n}`, password: 'correct horse battery', role: 'user' };
          return { method: 'POST', path: '/api/auth/admin/create-user', body: JSON.stringify(body) };
        },
      }),
    });
    let roleTurn = 0;
    const nextRole = (ids: string[]) => {
      const k = roleTurn++;
      return { id: ids[k % ids.length]!, role: Math.floor(k / ids.length) % 2 === 0 ? 'admin' : 'user' };
    };
    scenarios.push({
      name: 'update role',
      roster: () => ({
        base: rosterBase,
        headers: rosterHeaders,
        next: () => ({ method: 'POST', path: '/api/trpc/admin.users.update', body: JSON.stringify(nextRole(roleIds.roster)) }),
      }),
      betterAuth: () => ({
        base: baBase,
        headers: baHeaders,
        next: () => {
          const { id, role } = nextRole(roleIds.ba);
          return { method: 'POST', path: '/api/auth/admin/set-role', body: JSON.stringify({ userId: id, role }) };
        },
      }),
    });
    scenarios.push({
      name: 'delete user',
      roster: () => ({
        base: rosterBase,
        headers: rosterHeaders,
        next: () => ({ method: 'POST', path: '/api/trpc/admin.users.delete', body: JSON.stringify({ id: deleteIds.roster.pop() }) }),
      }),
      betterAuth: () => ({
        base: baBase,
        headers: baHeaders,
        next: () => ({ method: 'POST', path: '/api/auth/admin/remove-user', body: JSON.stringify({ userId: deleteIds.ba.pop() }) }),
      }),
    });

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
          row[key] = await drive(sys.base, connections, sys.headers, sys.next);
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
    writeResults(table, context);
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

const f = (x: number | undefined, d = 1) => (x == null || Number.isNaN(x) ? '—' : x.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d }));
const cell = (s?: Stat) => (s ? `${f(s.rps, 0)} req/s, p50 ${f(s.p50)}, p95 ${f(s.p95)}${s.bad ? ` (${s.bad} failed)` : ''}` : '—');
const ratio = (a?: Stat, b?: Stat) => (a && b && b.rps > 0 ? `${f(a.rps / b.rps, 2)}×` : '—');

function format(rows: Row[]): string {
  const head = '| scenario | conn. | Roster | better-auth | floor | Roster / better-auth (req/s) | Roster / floor | Roster slowest term (median ms) |';
  const lines = rows.map(
    (r) =>
      `| ${r.scenario} | ${r.connections} | ${cell(r.roster)} | ${cell(r.betterAuth)} | ${cell(r.floor)} | ${ratio(r.roster, r.betterAuth)} | ${ratio(r.roster, r.floor)} | ${r.worstTerm ? `${JSON.stringify(r.worstTerm.term)} ${f(r.worstTerm.ms)}` : ''} |`,
  );
  return [head, '|---|---|---|---|---|---|---|---|', ...lines].join('\n');
}

function writeResults(table: string, context: string) {
  const command = [
    process.env.BENCH_USERS && `BENCH_USERS=${process.env.BENCH_USERS}`,
    process.env.BENCH_SECONDS && `BENCH_SECONDS=${process.env.BENCH_SECONDS}`,
    process.env.BENCH_CONNECTIONS && `BENCH_CONNECTIONS=${process.env.BENCH_CONNECTIONS}`,
    process.env.BENCH_ONLY && `BENCH_ONLY='${process.env.BENCH_ONLY}'`,
    'node bench/peers/run.ts',
  ]
    .filter(Boolean)
    .join(' ');
  const terms = TERMS.map((t) => `${JSON.stringify(t.term)} (${t.kind})`).join(', ');
  const md = `# Roster beside better-auth and the floor (issue 10)

\`\`\`sh
pnpm --filter @roster/web build
${command}
\`\`\`

${context}. Latencies in ms, from every response; req/s = responses ÷ seconds. Ratios are Roster's req/s over the other's (above 1: Roster serves more).

${table}

Search terms, cycled by each connection (better-auth searches \`name\` or \`email\` with \`contains\`, as its admin plugin offers): ${terms}.
better-auth has no last-seen or usage column; its \`updatedAt\` stands in for both orders. Page size 25 everywhere; Roster's answer also carries
the total (exact up to 1,000, else the estimate), better-auth's an exact \`count(*)\`. "Slowest term" is the slowest median of ${PROBES} sequential
Roster calls per term at 1 connection. The floor is \`node:http\` + \`pg\` with one prepared statement joining better-auth's session and user tables.
`;
  fs.writeFileSync(path.join(repoRoot, 'bench/RESULTS.md'), md);
}

await main();
