/**
 * The audit chain at scale (issue 12): N events inserted unchained (as
 * requests write them), then linked by the chainer and verified. The floor
 * is one read of the same columns in the same order, without hashing or
 * writing: what linking and verifying cannot go below.
 *
 *   node bench/audit-chain.ts            # BENCH_EVENTS=100000 by default
 */
import { CHAIN_COLUMNS, chainPending, verifyChain } from '@roster/core';
import { openOrm, type EntityManager } from '@roster/db';
import { benchServices } from './purge-support.ts';
import { loadAverage } from './report.ts';

const N = Number(process.env.BENCH_EVENTS ?? 100_000);
const svc = await benchServices('audit');
const orm = await openOrm(svc.databaseUrl, { poolMax: 4 });
const em = () => orm.em.fork() as EntityManager;
const time = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
  const t = performance.now();
  const r = await fn();
  return [(performance.now() - t) / 1000, r];
};
try {
  const [insert] = await time(() =>
    svc.sql(
      `insert into audit_log (at, actor_id, action, target_id, details, ip, user_agent)
       select now(), gen_random_uuid(), 'user.update', gen_random_uuid(),
              jsonb_build_object('before', jsonb_build_object('name', 'Name ' || i), 'after', jsonb_build_object('name', 'Renamed ' || i)),
              '192.0.2.' || (i % 250), 'Mozilla/5.0 (X11; Linux x86_64) Firefox/200'
         from generate_series(1, ${N}) i`,
    ),
  );
  const [floor] = await time(async () => {
    for (let from = 0; ; from += 5000) {
      const rows = await em().execute(`select ${CHAIN_COLUMNS} from audit_log a where a.id > ? order by a.id limit 5000`, [from]);
      if (rows.length < 5000) break;
    }
  });
  const [chain, linked] = await time(() => chainPending(em()));
  const [verify, verdict] = await time(() => verifyChain(em()));
  const line = (k: string, s: number) => console.log(`${k.padEnd(22)} ${s.toFixed(2)} s  ${Math.round(N / s).toLocaleString('en')} events/s`);
  console.log(`events ${N.toLocaleString('en')}, load average ${loadAverage()}`);
  line('insert (SQL, 1 stmt)', insert);
  line('floor: read columns', floor);
  line(`chain (${linked} linked)`, chain);
  line(`verify (ok: ${verdict.ok})`, verify);
} finally {
  await orm.close();
  await svc.close();
}
