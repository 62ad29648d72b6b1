/**
 * Password guessing against the built web app (issue 9): starts a throwaway
 * embedded PostgreSQL and redis-server, runs apps/web/build as its own
 * process, creates the owner, then hammers `auth.signIn` with wrong
 * passwords for the owner from loopback, BENCH_CONCURRENCY in flight, until
 * BENCH_REQUESTS are sent or BENCH_SECONDS pass (whichever first). The first
 * 10 guesses are checked (401); the account is then held and every further
 * guess must be refused (429) without an Argon2 hash. Reports refused
 * requests per second, their latency and the server's CPU per request.
 *
 *   pnpm --filter @roster/web build && node bench/guessing.ts
 *   BENCH_REQUESTS=2000 BENCH_SECONDS=10 BENCH_CONCURRENCY=8 node bench/guessing.ts
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { startBenchApp } from './bench-app.ts';
import { loadAverage } from './report.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 5000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const app = await startBenchApp('guessing');
const { base, cpuSeconds } = app;
const post = (proc: string, body: unknown) =>
  fetch(`${base}/api/trpc/${proc}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(body) });

try {
  const owner = { email: 'owner@example.com', name: 'Olga Owner', password: 'owner-password-1' };
  if (!(await post('setup.createOwner', owner)).ok) throw new Error('setup.createOwner failed');

  const statuses = new Map<number, number>();
  const refusedMs: number[] = [];
  let sent = 0;
  let retryAfterMissing = 0;
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  const deadline = t0 + SECONDS * 1000;
  let firstRefusedAt = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < REQUESTS && performance.now() < deadline) {
        const n = sent++;
        const t = performance.now();
        const res = await post('auth.signIn', { email: owner.email, password: `guess-${n}` });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 429) {
          firstRefusedAt ||= t;
          refusedMs.push(performance.now() - t);
          if (!res.headers.get('retry-after')) retryAfterMissing++;
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds() - cpu0;
  const refused = statuses.get(429) ?? 0;
  const refusedSeconds = (performance.now() - firstRefusedAt) / 1000;
  refusedMs.sort((a, b) => a - b);
  const pct = (p: number) => (refusedMs.length ? refusedMs[Math.min(refusedMs.length - 1, Math.floor(p * refusedMs.length))]!.toFixed(1) : 'n/a');
  const right = await post('auth.signIn', { email: owner.email, password: owner.password });

  console.log(`guessing: ${sent} wrong sign-ins for one account from loopback in ${seconds.toFixed(1)} s, ${CONCURRENCY} in flight, ${os.cpus().length} CPUs, load ${loadAverage(1)}`);
  console.log(`  answers: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}; 429 without Retry-After: ${retryAfterMissing}`);
  console.log(`  refused: ${(refused / refusedSeconds).toFixed(0)} per second (once held), latency p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms`);
  console.log(`  server CPU: ${((cpu * 1000) / sent).toFixed(2)} ms per request overall (${cpu.toFixed(1)} s)`);
  console.log(`  the right password afterwards: HTTP ${right.status}`);
  console.log(JSON.stringify({ sent, seconds, concurrency: CONCURRENCY, statuses: Object.fromEntries(statuses), refusedPerSecond: refused / refusedSeconds, p50Ms: Number(pct(0.5)), p95Ms: Number(pct(0.95)), cpuMsPerRequest: (cpu * 1000) / sent, rightPasswordStatus: right.status }));
} finally {
  await app.stop();
}
