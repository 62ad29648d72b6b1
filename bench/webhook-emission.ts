/**
 * What webhook emission costs a change (issue 13). Emission is a deferred
 * trigger on audit_log (migration 0024); this measures one transaction that
 * updates a user and writes its audit row, as updateUser does, in three
 * cells interleaved over BENCH_ROUNDS rounds on one embedded PostgreSQL:
 *
 *   floor      the trigger disabled (what the change costs without webhooks)
 *   none       the trigger on, no endpoint (every install without webhooks)
 *   subscribed one enabled endpoint subscribed to user.updated: the snapshot
 *              of the user and one outbox row per change
 *
 *   node bench/webhook-emission.ts
 *   BENCH_TX=2000 BENCH_ROUNDS=3 node bench/webhook-emission.ts
 */
import { benchServices } from './purge-support.ts';
import { loadAverage, percentile } from './report.ts';

const TX = Number(process.env.BENCH_TX ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const loadAtStart = loadAverage();
const svc = await benchServices('webhooks');
type Cell = 'floor' | 'none' | 'subscribed';
const times: Record<Cell, number[]> = { floor: [], none: [], subscribed: [] };

try {
  const [u] = await svc.sql<{ id: string }[]>(
    `insert into users (id, email, name, role) values (gen_random_uuid(), 'bench@example.com', 'Bench', 'user') returning id`,
  );
  const setup: Record<Cell, string[]> = {
    floor: [`alter table audit_log disable trigger audit_log_webhooks`, `delete from webhook_endpoints`],
    none: [`alter table audit_log enable trigger audit_log_webhooks`, `delete from webhook_endpoints`],
    subscribed: [
      `alter table audit_log enable trigger audit_log_webhooks`,
      `insert into webhook_endpoints (id, url, events, secret) values (gen_random_uuid(), 'http://127.0.0.1:9/', '{user.updated}', 'whsec_x')`,
    ],
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const cell of ['floor', 'none', 'subscribed'] as const) {
      for (const q of setup[cell]) await svc.sql(q);
      for (let i = 0; i < TX; i++) {
        const t0 = process.hrtime.bigint();
        await svc.sql(
          `with c as (update users set name = ?, updated_at = now() where id = ? returning id)
           insert into audit_log (actor_id, action, target_id, details) select null, 'user.update', id, '{"name":true}' from c`,
          [`Bench ${i}`, u!.id],
        );
        times[cell].push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }
  }
  const [{ n }] = await svc.sql<{ n: string }[]>(`select count(*) as n from webhook_deliveries`);
  console.log(`load average at start ${loadAtStart}, at end ${loadAverage()}; ${TX} transactions × ${ROUNDS} rounds per cell; ${n} outbox rows written`);
  console.log('| cell | mean ms | p50 ms | p95 ms |\n|---|---|---|---|');
  for (const cell of ['floor', 'none', 'subscribed'] as const) {
    const s = [...times[cell]].sort((a, b) => a - b);
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    console.log(`| ${cell} | ${mean.toFixed(3)} | ${percentile(s, 50).toFixed(3)} | ${percentile(s, 95).toFixed(3)} |`);
  }
} finally {
  await svc.close();
}
