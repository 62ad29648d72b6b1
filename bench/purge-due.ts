/**
 * 10,000 users due for purge at the same moment (issue 5: lateness from
 * purge_at to done, goal p99 ≤ 60 s on 2 cores). Starts a throwaway
 * embedded PostgreSQL and redis-server, inserts the deleted users (each with
 * a session, a revoked invitation and a used reset link) all due at
 * now + BENCH_LEAD_S, then runs BENCH_WORKERS real worker processes: their
 * start-up sweep queues the delayed purge jobs, as it would after an outage.
 * Lateness = the purge's audit record time − purge_at.
 *
 *   node bench/purge-due.ts
 *   BENCH_USERS=2000 BENCH_WORKERS=1 BENCH_CONCURRENCY=4 node bench/purge-due.ts
 */
import { performance } from 'node:perf_hooks';
import { benchServices, startBenchWorker, until } from './purge-support.ts';
import { percentile } from './report.ts';

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const LEAD_S = Number(process.env.BENCH_LEAD_S ?? 20);

const svc = await benchServices('purge-due');
try {
  await svc.sql(
    `insert into users (id, email, name, role, status, deleted_at, purge_at)
     select gen_random_uuid(), 'u' || g || '@bench.test', 'User ' || g, 'user', 'deleted', now(), now() + make_interval(secs => ?)
       from generate_series(1, ?) g`,
    [LEAD_S, USERS],
  );
  await svc.sql(`insert into sessions (id, user_id, expires_at) select 's' || id, id, now() + interval '1 day' from users`);
  await svc.sql(
    `insert into invitations (id, email, role, token_hash, invited_by_id, expires_at, revoked_at)
     select gen_random_uuid(), 'guest-' || email, 'user', md5(id::text), id, now() + interval '7 days', now() from users`,
  );
  await svc.sql(
    `insert into password_reset_tokens (token_hash, user_id, expires_at, used_at) select md5('r' || id), id, now() + interval '1 hour', now() from users`,
  );
  const [{ due }] = await svc.sql<{ due: Date }[]>(`select max(purge_at) as due from users`);
  console.log(`${USERS} users due at ${new Date(due).toISOString()}; starting ${WORKERS} worker(s) × concurrency ${CONCURRENCY}`);
  const env = {
    DATABASE_URL: svc.databaseUrl,
    REDIS_URL: svc.redisUrl,
    ROSTER_DATA_DIR: svc.dataDir,
    ROSTER_WORKER_CONCURRENCY: String(CONCURRENCY),
  };
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => startBenchWorker(env)));
  const cpu0 = workers.map((w) => w.cpuSeconds());
  const svc0 = svc.serviceCpu();
  console.log(`workers ready; start-up (incl. sweep) CPU ${cpu0.map((c) => c.toFixed(1)).join(', ')} s`);
  const t0 = performance.now();
  await until(async () => Number((await svc.sql<{ n: string }[]>(`select count(*) as n from users`))[0]!.n) === 0, 20 * 60_000, 500);
  console.log(`all purged ${((performance.now() - t0) / 1000).toFixed(1)} s after the workers were ready`);
  const rows = await svc.sql<{ late: number }[]>(
    `select extract(epoch from (at - (details->>'purgeAt')::timestamptz)) * 1000 as late from audit_log where action = 'user.purge'`,
  );
  const late = rows.map((r) => Number(r.late)).sort((a, b) => a - b);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`purge records: ${late.length} (expected ${USERS}), early: ${late.filter((l) => l < 0).length}`);
  console.log(`lateness p50 ${s(percentile(late, 50))}  p90 ${s(percentile(late, 90))}  p99 ${s(percentile(late, 99))}  max ${s(late.at(-1)!)}`);
  const svc1 = svc.serviceCpu();
  const perPurge = (s: number) => (s * 1000) / USERS;
  const worker = perPurge(workers.reduce((a, w, i) => a + w.cpuSeconds() - cpu0[i]!, 0));
  const postgres = perPurge(svc1.postgres - svc0.postgres);
  const redis = perPurge(svc1.redis - svc0.redis);
  const total = worker + postgres + redis;
  console.log(`CPU per purge: worker ${worker.toFixed(2)} ms + PostgreSQL ${postgres.toFixed(2)} ms + Redis ${redis.toFixed(2)} ms = ${total.toFixed(2)} ms`);
  console.log(`→ on 2 otherwise idle cores: ≈ ${(2000 / total).toFixed(0)} purges/s, ${USERS} in ≈ ${((USERS * total) / 2 / 1000).toFixed(1)} s`);
  console.log(`throughput ${(USERS / (late.at(-1)! / 1000)).toFixed(0)} purges/s; worker peak RSS ${workers.map((w) => `${(w.memory().hwm / 2 ** 20).toFixed(0)} MiB`).join(', ')}`);
  await Promise.all(workers.map((w) => w.stop()));
} finally {
  await svc.close();
}
