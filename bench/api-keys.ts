/**
 * An API-key request beside a session check (issue 13). Starts the BUILT web
 * app on its own embedded PostgreSQL and redis-server (bench-app.ts), signs a
 * user in and gives them a key, then drives `auth.me` with autocannon on
 * loopback at 1 and 32 connections, the cells interleaved over BENCH_ROUNDS
 * rounds so drift in the machine's load hits all alike:
 *
 *   session cookie   the browser's session check (the baseline)
 *   session Bearer   the CLI's: the same lookup, the token in Authorization
 *   API key Bearer   `Bearer rst_…`: one prepared statement (key, account,
 *                    permission epoch) plus the per-key rate-limit count in Redis
 *
 * The key's rate limit is raised (ROSTER_API_KEY_RATE) so the bench measures
 * the counting, not refusals.
 *
 *   pnpm --filter @roster/web build && node bench/api-keys.ts
 *   BENCH_SECONDS=5 BENCH_ROUNDS=1 BENCH_CONNECTIONS=1,32 node bench/api-keys.ts
 */
import os from 'node:os';
import { startBenchApp } from './bench-app.ts';
import { drive, type Stat } from './peers/drive.ts';
import { loadAverage } from './report.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,32').split(',').map(Number);
const PASSWORD = 'bench password 1';

const loadAtStart = loadAverage();
const app = await startBenchApp('api-keys', { ROSTER_API_KEY_RATE: '10000000' });
const { base, cpuSeconds } = app;

async function post(path: string, input: unknown, cookie = ''): Promise<Response> {
  const res = await fetch(`${base}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base, ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(input),
  });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return res;
}
const cookieOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => /session=./.test(c))!;

try {
  await post('setup.createOwner', { email: 'owner@example.com', name: 'Olga Owner', password: PASSWORD });
  const cookie = cookieOf(await post('auth.signIn', { email: 'owner@example.com', password: PASSWORD }));
  const token = cookie.split('=')[1]!;
  const key = ((await (await post('me.apiKeys.create', { name: 'bench', scopes: ['me'] }, cookie)).json()) as { result: { data: { secret: string } } })
    .result.data.secret;

  const scenarios: { name: string; headers: Record<string, string> }[] = [
    { name: 'session cookie (baseline)', headers: { cookie } },
    { name: 'session Bearer', headers: { authorization: `Bearer ${token}` } },
    { name: 'API key Bearer', headers: { authorization: `Bearer ${key}` } },
  ];
  const req = () => ({ method: 'GET' as const, path: '/api/trpc/auth.me' });
  for (const sc of scenarios) await drive(base, 4, 2, sc.headers, req);

  const results = new Map<string, { stats: Stat[]; cpu: number; n: number }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const connections of CONNECTIONS) {
      for (const sc of scenarios) {
        const cpu0 = cpuSeconds();
        const stat = await drive(base, connections, SECONDS, sc.headers, req);
        const k = `${sc.name}@${connections}`;
        const r = results.get(k) ?? results.set(k, { stats: [], cpu: 0, n: 0 }).get(k)!;
        r.stats.push(stat);
        r.cpu += cpuSeconds() - cpu0;
        r.n += stat.n;
        if (stat.bad) throw new Error(`${k}: ${stat.bad} failed requests`);
      }
    }
  }

  const avg = (stats: Stat[], f: keyof Stat) => stats.reduce((s, x) => s + x[f] * x.n, 0) / stats.reduce((s, x) => s + x.n, 0);
  console.log(`\nauth.me; ${SECONDS} s per cell × ${ROUNDS} rounds; latency in ms over every response; CPU = web process (user+sys) per request`);
  console.log(`${'scenario'.padEnd(28)} conns  req/s     p50     p95     p99  p95/baseline  CPU ms/req`);
  const summary: Record<string, unknown> = {};
  for (const connections of CONNECTIONS) {
    const baseP95 = avg(results.get(`${scenarios[0]!.name}@${connections}`)!.stats, 'p95');
    for (const sc of scenarios) {
      const r = results.get(`${sc.name}@${connections}`)!;
      const [rps, p50, p95, p99] = (['rps', 'p50', 'p95', 'p99'] as const).map((f) => avg(r.stats, f));
      const cpuMs = (r.cpu * 1000) / r.n;
      console.log(
        `${sc.name.padEnd(28)} ${String(connections).padStart(5)} ${rps!.toFixed(0).padStart(6)} ${p50!.toFixed(2).padStart(7)} ${p95!.toFixed(2).padStart(7)} ${p99!.toFixed(2).padStart(7)} ${(p95! / baseP95).toFixed(2).padStart(12)}× ${cpuMs.toFixed(2).padStart(10)}`,
      );
      summary[`${sc.name}@${connections}`] = { rps, p50, p95, p99, p95VsBaseline: p95! / baseP95, cpuMsPerRequest: cpuMs, n: r.n };
    }
  }
  console.log(`\nload average ${loadAtStart} at the start, ${loadAverage()} at the end (1/5/15 min); ${os.cpus().length} × ${os.cpus()[0]?.model}; node ${process.version}`);
  console.log(JSON.stringify({ seconds: SECONDS, rounds: ROUNDS, results: summary }));
} finally {
  await app.stop();
}
