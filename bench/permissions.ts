/**
 * Effective permissions (issue 11: p95 within 1.5× of a plain session check).
 * Starts the BUILT web app on its own embedded PostgreSQL and redis-server
 * (bench-app.ts), puts one user in BENCH_GROUPS groups (default 50, each
 * granting two keys, every tenth denying one, over a default template with
 * half the keys off, so the union and the denies are really computed), then drives with autocannon on
 * loopback, at 1 and 32 connections, in the same run:
 *
 *   auth.me             the user's plain session check (the baseline)
 *   me.permissions      the user's own effective permissions
 *   permissions.check   an admin asking for that user, every catalogue key
 *
 * Cells are interleaved over BENCH_ROUNDS rounds (baseline, then each
 * procedure, then again), so drift in the machine's load hits all alike;
 * the quantiles are over every response of a scenario. Also prints the web
 * process's CPU per request (/proc), steadier than latency on a busy machine.
 *
 *   pnpm --filter @roster/web build && node bench/permissions.ts
 *   BENCH_SECONDS=5 BENCH_ROUNDS=1 BENCH_CONNECTIONS=1,32 BENCH_GROUPS=50 node bench/permissions.ts
 */
import os from 'node:os';
import { startBenchApp } from './bench-app.ts';
import { drive, type Req, type Stat } from './peers/drive.ts';
import { loadAverage } from './report.ts';

const GROUPS = Number(process.env.BENCH_GROUPS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,32').split(',').map(Number);
const PASSWORD = 'bench password 1';

const loadAtStart = loadAverage();
const app = await startBenchApp('permissions');
const { base, cpuSeconds } = app;

const cookieOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => /session=./.test(c))!;
async function call(path: string, input: unknown, cookie = '', method: 'GET' | 'POST' = 'POST'): Promise<Response> {
  const url = `${base}/api/trpc/${path}${method === 'GET' && input !== undefined ? `?input=${encodeURIComponent(JSON.stringify(input))}` : ''}`;
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', origin: base, ...(cookie ? { cookie } : {}) },
    body: method === 'POST' ? JSON.stringify(input) : undefined,
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return res;
}
const data = async <T>(res: Response): Promise<T> => ((await res.json()) as { result: { data: T } }).result.data;

try {
  const owner = await call('setup.createOwner', { email: 'owner@example.com', name: 'Olga Owner', password: PASSWORD });
  const ownerCookie = cookieOf(owner);
  const created = await data<{ user?: { id: string }; id?: string }>(
    await call('admin.users.create', { email: 'uma@example.com', name: 'Uma User', role: 'user', password: PASSWORD, mustChangePassword: false }, ownerCookie),
  );
  const userId = created.user?.id ?? created.id!;
  const userCookie = cookieOf(await call('auth.signIn', { email: 'uma@example.com', password: PASSWORD }));

  const { items: catalogue } = await data<{ items: { key: string }[] }>(await call('admin.permissions.catalogue', undefined, ownerCookie, 'GET'));
  const keys = catalogue.map((e) => e.key);
  // Half the keys off by default, so grants matter; every group grants two of the other keys, and every tenth denies the last key.
  await call('admin.permissions.setDefault', { permissions: Object.fromEntries(keys.map((k, i) => [k, i % 2 === 0])) }, ownerCookie);
  const grantable = keys.slice(0, -1);
  for (let g = 0; g < GROUPS; g++) {
    const grants = [grantable[g % grantable.length]!, grantable[(g + 1) % grantable.length]!].filter((k, i, a) => a.indexOf(k) === i);
    const denies = g % 10 === 9 ? [keys.at(-1)!] : [];
    const group = await data<{ id: string }>(await call('admin.groups.create', { name: `Bench group ${g + 1}`, grants, denies }, ownerCookie));
    await call('admin.groups.addMembers', { groupId: group.id, userIds: [userId] }, ownerCookie);
  }
  const mine = await data<{ permissions: Record<string, boolean> }>(await call('me.permissions', undefined, userCookie, 'GET'));
  const groupsOfUser = await data<unknown[] | { items: unknown[] }>(await call('admin.users.groups', { id: userId }, ownerCookie, 'GET'));
  const memberOf = Array.isArray(groupsOfUser) ? groupsOfUser.length : groupsOfUser.items.length;
  console.log(`user in ${memberOf} groups, ${keys.length} keys in the catalogue; effective: ${Object.values(mine.permissions).filter(Boolean).length} of ${keys.length} true`);

  const get = (path: string, input?: unknown): Req => ({
    method: 'GET',
    path: `/api/trpc/${path}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
  });
  const scenarios: { name: string; cookie: string; req: Req }[] = [
    { name: 'auth.me (baseline)', cookie: userCookie, req: get('auth.me') },
    { name: 'me.permissions', cookie: userCookie, req: get('me.permissions') },
    { name: `permissions.check (${keys.length} keys)`, cookie: ownerCookie, req: get('permissions.check', { userId, keys }) },
  ];

  // Warm-up: JIT, the ORM's metadata paths, PostgreSQL's plan and buffer caches.
  for (const sc of scenarios) await drive(base, 4, 2, { cookie: sc.cookie }, () => sc.req);

  const results = new Map<string, { stats: Stat[]; cpu: number; n: number }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const connections of CONNECTIONS) {
      for (const sc of scenarios) {
        const cpu0 = cpuSeconds();
        const stat = await drive(base, connections, SECONDS, { cookie: sc.cookie }, () => sc.req);
        const key = `${sc.name}@${connections}`;
        const r = results.get(key) ?? results.set(key, { stats: [], cpu: 0, n: 0 }).get(key)!;
        r.stats.push(stat);
        r.cpu += cpuSeconds() - cpu0;
        r.n += stat.n;
        if (stat.bad) throw new Error(`${key}: ${stat.bad} failed requests`);
      }
    }
  }

  /** Over the rounds: quantiles of the rounds' quantiles would mislead, so each round's are weighted by its count (close enough for p50/p95 here). */
  const avg = (stats: Stat[], f: keyof Stat) => stats.reduce((s, x) => s + x[f] * x.n, 0) / stats.reduce((s, x) => s + x.n, 0);
  console.log(`\n${SECONDS} s per cell × ${ROUNDS} rounds; latency in ms over every response; server CPU = web process (user+sys) per request`);
  console.log(`${'scenario'.padEnd(34)} conns  req/s     p50     p95     p99  p95/baseline  CPU ms/req`);
  const summary: Record<string, unknown> = {};
  for (const connections of CONNECTIONS) {
    const baseline = results.get(`${scenarios[0]!.name}@${connections}`)!;
    const baseP95 = avg(baseline.stats, 'p95');
    for (const sc of scenarios) {
      const r = results.get(`${sc.name}@${connections}`)!;
      const [rps, p50, p95, p99] = (['rps', 'p50', 'p95', 'p99'] as const).map((f) => avg(r.stats, f));
      const ratio = p95! / baseP95;
      const cpuMs = (r.cpu * 1000) / r.n;
      console.log(
        `${sc.name.padEnd(34)} ${String(connections).padStart(5)} ${rps!.toFixed(0).padStart(6)} ${p50!.toFixed(2).padStart(7)} ${p95!.toFixed(2).padStart(7)} ${p99!.toFixed(2).padStart(7)} ${ratio.toFixed(2).padStart(12)}× ${cpuMs.toFixed(2).padStart(10)}`,
      );
      summary[`${sc.name}@${connections}`] = { rps, p50, p95, p99, p95VsBaseline: ratio, cpuMsPerRequest: cpuMs, n: r.n };
    }
  }
  console.log(`\nload average ${loadAtStart} at the start, ${loadAverage()} at the end (1/5/15 min); ${os.cpus().length} × ${os.cpus()[0]?.model}; node ${process.version}`);
  console.log(JSON.stringify({ groups: GROUPS, keys: keys.length, seconds: SECONDS, rounds: ROUNDS, results: summary }));
} finally {
  await app.stop();
}
