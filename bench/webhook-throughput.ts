/**
 * Webhook throughput (issue 13): deliveries per second for BENCH_EVENTS
 * (10,000) events, from the outbox to a receiver on loopback that checks
 * every signature, through the real worker process (relay → BullMQ →
 * `webhook.deliver`: the endpoint read, the signed POST, the row marked
 * delivered). The floor, in the same run: the same number of signed POSTs
 * sent straight from this process to the same receiver, as many at once as
 * the worker runs jobs (ROSTER_WORKER_CONCURRENCY).
 *
 *   node bench/webhook-throughput.ts
 *   BENCH_EVENTS=2000 BENCH_CONCURRENCY=8 node bench/webhook-throughput.ts
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { verifyWebhook } from '@roster/client';
import { newWebhookSecret, signWebhook } from '@roster/core';
import { insertUsersSql } from './bulk-support.ts';
import { benchServices, startBenchWorker, until, type BenchWorker } from './purge-support.ts';
import { loadAverage } from './report.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const load = loadAverage;
const loadAtStart = load();
const secret = newWebhookSecret();

// The receiver: every delivery's signature is checked; a bad one is counted, not acknowledged.
let good = 0;
let bad = 0;
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const h = (n: string) => String(req.headers[n] ?? '');
    const ok = verifyWebhook(secret, { id: h('webhook-id'), timestamp: h('webhook-timestamp'), signature: h('webhook-signature') }, Buffer.concat(chunks).toString());
    if (ok) good += 1;
    else bad += 1;
    res.writeHead(ok ? 204 : 400).end();
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

const svc = await benchServices('webhook-throughput');
let worker: BenchWorker | undefined;
try {
  // EVENTS changes in one transaction: the audit trigger writes one outbox row each at commit, as a bulk action would.
  await svc.sql(
    `insert into webhook_endpoints (id, url, events, secret, allow_private_network) values (?, ?, '{user.updated}', ?, true)`,
    [randomUUID(), url, secret],
  );
  await svc.sql(insertUsersSql(EVENTS));
  await svc.sql(
    `with c as (update users set name = name || ' (renamed)', updated_at = now() returning id)
     insert into audit_log (actor_id, action, target_id, details) select null, 'user.update', id, '{"name":true}' from c`,
  );
  const [{ n }] = await svc.sql<{ n: string }[]>(`select count(*) as n from webhook_deliveries where status = 'pending'`);
  if (Number(n) !== EVENTS) throw new Error(`expected ${EVENTS} outbox rows, found ${n}`);

  const cpu0 = svc.serviceCpu();
  const t0 = performance.now();
  worker = await startBenchWorker({
    DATABASE_URL: svc.databaseUrl,
    REDIS_URL: svc.redisUrl,
    ROSTER_DATA_DIR: svc.dataDir,
    ROSTER_WORKER_CONCURRENCY: String(CONCURRENCY),
    ROSTER_WEBHOOK_POLL_MS: '50',
  });
  const delivered = async () =>
    Number((await svc.sql<{ n: string }[]>(`select count(*) as n from webhook_deliveries where status = 'succeeded'`))[0]!.n);
  await until(async () => (await delivered()) === EVENTS, 600_000, 200);
  const roster = (performance.now() - t0) / 1000;
  const workerCpu = worker.cpuSeconds();
  const cpu1 = svc.serviceCpu();
  await worker.stop();
  const received = good;

  // The floor: the same signed POSTs, CONCURRENCY at a time, from a plain keep-alive client.
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const body = JSON.stringify({ type: 'user.updated', timestamp: new Date().toISOString(), data: { user: { id: randomUUID(), name: 'Bench' } } });
  const post = (id: string) =>
    new Promise<void>((resolve, reject) => {
      const ts = Math.floor(Date.now() / 1000);
      const req = http.request(url, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signWebhook(secret, id, ts, body) },
      });
      req.on('response', (res) => res.resume().on('end', () => (res.statusCode === 204 ? resolve() : reject(new Error(`status ${res.statusCode}`)))));
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  const t1 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < EVENTS) {
      next += 1;
      await post(randomUUID());
    }
  }));
  const floor = (performance.now() - t1) / 1000;
  agent.destroy();

  console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model}; load average at start ${loadAtStart}, at end ${load()}`);
  console.log(`${EVENTS} events, worker concurrency ${CONCURRENCY}; receiver got ${received} signed deliveries from Roster, ${bad} with a bad signature`);
  console.log('| path | seconds | deliveries/s | CPU s (worker / PostgreSQL / Redis) |\n|---|---:|---:|---|');
  console.log(
    `| Roster: outbox → relay → BullMQ → signed POST → row marked | ${roster.toFixed(1)} | ${Math.round(EVENTS / roster).toLocaleString('en')} | ` +
      `${workerCpu.toFixed(1)} / ${(cpu1.postgres - cpu0.postgres).toFixed(1)} / ${(cpu1.redis - cpu0.redis).toFixed(1)} |`,
  );
  console.log(`| floor: the same signed POSTs from a plain client | ${floor.toFixed(1)} | ${Math.round(EVENTS / floor).toLocaleString('en')} | — |`);
  if (received !== EVENTS || bad !== 0) process.exitCode = 1;
} finally {
  // A worker left running after a failure would retry its dead Redis forever.
  await worker?.stop();
  await svc.close();
  receiver.close();
}
