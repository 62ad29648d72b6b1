/**
 * One user with 100,000 files (issue 5: purge time and the worker's peak
 * RSS, goal ≤ 30 s and memory flat). Starts a throwaway embedded PostgreSQL
 * and redis-server, writes the files (16 bytes each, spread over month
 * folders as uploads would be) and their rows directly, marks the user
 * deleted and due a few seconds later, then lets the real worker process
 * purge it while sampling its RSS. A second user's files must survive.
 *
 *   node bench/purge-files.ts
 *   BENCH_FILES=10000 node bench/purge-files.ts      # same peak RSS: memory does not grow with the files
 *   BENCH_TRANSFER=1 node bench/purge-files.ts       # transfer them to another user instead
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { benchServices, startBenchWorker, until } from './purge-support.ts';
import { mib } from './report.ts';

const FILES = Number(process.env.BENCH_FILES ?? 100_000);
const TRANSFER = process.env.BENCH_TRANSFER === '1';
const LEAD_S = 8;

const svc = await benchServices('purge-files');
try {
  const user = randomUUID();
  const keeper = randomUUID();
  await svc.sql(
    `insert into users (id, email, name, role, status, storage_label) values (?, 'bulk@bench.test', 'Bulk', 'user', 'active', 'bulk'), (?, 'keeper@bench.test', 'Keeper', 'user', 'active', 'keeper')`,
    [user, keeper],
  );
  const t0 = Date.now();
  const write = async (owner: string, label: string, n: number) => {
    for (let start = 0; start < n; start += 2_000) {
      const rows = Array.from({ length: Math.min(2_000, n - start) }, (_, i) => {
        const id = randomUUID();
        const mm = String(((start + i) % 12) + 1).padStart(2, '0');
        return { id, path: `upload/${label}/2026/${mm}/${id}-f${start + i}.txt` };
      });
      await Promise.all(
        rows.map(async (r) => {
          const abs = path.join(svc.dataDir, r.path);
          await fs.promises.mkdir(path.dirname(abs), { recursive: true });
          await fs.promises.writeFile(abs, 'sixteen bytes..\n');
        }),
      );
      await svc.sql(
        `insert into files (id, owner_id, path, size, sha1, mime_type, original_name)
         select x.id::uuid, ?, x.path, 16, 'bench', 'text/plain', 'f.txt' from jsonb_to_recordset(?::jsonb) as x(id text, path text)`,
        [owner, JSON.stringify(rows)],
      );
    }
    await svc.sql(`update users set usage_bytes = ? * 16 where id = ?`, [n, owner]);
  };
  await write(user, 'bulk', FILES);
  await write(keeper, 'keeper', 100);
  console.log(`${FILES} files written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await svc.sql(
    `update users set status = 'deleted', deleted_at = now(), purge_at = now() + make_interval(secs => ?), transfer_to_user_id = ? where id = ?`,
    [LEAD_S, TRANSFER ? keeper : null, user],
  );
  const worker = await startBenchWorker({ DATABASE_URL: svc.databaseUrl, REDIS_URL: svc.redisUrl, ROSTER_DATA_DIR: svc.dataDir });
  const idle = worker.memory();
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(worker.memory().rss), 250);
  await until(async () => (await svc.sql(`select 1 from users where id = ?`, [user])).length === 0, 10 * 60_000, 200);
  clearInterval(sampler);
  const peak = worker.memory().hwm;
  const [audit] = await svc.sql<{ started: string; at: Date; details: { counts: Record<string, number> } }[]>(
    `select details->>'startedAt' as started, at, details from audit_log where action = 'user.purge' and target_id = ?`,
    [user],
  );
  const seconds = (new Date(audit!.at).getTime() - new Date(audit!.started).getTime()) / 1000;
  const [left] = await svc.sql<{ mine: string; kept: string; usage: string }[]>(
    `select (select count(*) from files where owner_id = ?) as mine, (select count(*) from files where owner_id = ?) as kept,
            (select usage_bytes from users where id = ?) as usage`,
    [user, keeper, keeper],
  );
  const onDisk = (label: string) => (fs.existsSync(path.join(svc.dataDir, 'upload', label)) ? fs.readdirSync(path.join(svc.dataDir, 'upload', label), { recursive: true }).length : 0);
  console.log(`purge of ${FILES} files${TRANSFER ? ' (transfer)' : ''}: ${seconds.toFixed(1)} s (${(FILES / seconds).toFixed(0)} files/s); audit counts ${JSON.stringify(audit!.details.counts)}`);
  console.log(`worker RSS: idle ${mib(idle.rss)}, during purge min ${mib(Math.min(...samples))} / max ${mib(Math.max(...samples))}, peak (VmHWM) ${mib(peak)}`);
  // Flat means no trend: the RSS every 2 s from the worker's start to the purge's end.
  console.log(`worker RSS every 2 s (MiB): ${samples.filter((_, i) => i % 8 === 0).map((b) => (b / 2 ** 20).toFixed(0)).join(' ')}`);
  console.log(`left: user's file rows ${left!.mine}, bulk folder entries ${onDisk('bulk')}; keeper rows ${left!.kept}, keeper usage ${left!.usage} bytes`);
  await worker.stop();
} finally {
  await svc.close();
}
