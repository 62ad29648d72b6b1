/**
 * CSV import (issue 12): 100,000 rows with `password_hash` (goal ≤ 15 s) and
 * 10,000 rows with plaintext passwords (users/s, both cores busy hashing).
 * Starts a throwaway embedded PostgreSQL and redis-server, writes the files,
 * and runs the import job's body (core runImport: both passes, batches,
 * audit rows, report rows) as the worker would, timing each run beside its
 * floors measured in the same run: a parse-only pass over the same file,
 * and the hash pool alone hashing the same number of passwords.
 * CPU: process.cpuUsage() (every thread of this process, the hash pool's
 * included) and PostgreSQL's, over the run's wall time and the core count.
 *
 *   node bench/import.ts
 *   BENCH_HASHED=20000 BENCH_PLAIN=1000 node bench/import.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { closeHashPool, hashPasswords, hashPoolBusyMs, hashPoolSize } from '@roster/auth';
import { csvRecords, insertImport, runImport } from '@roster/core';
import { openOrm, type EntityManager } from '@roster/db';
import { benchServices } from './purge-support.ts';
import { loadAverage } from './report.ts';

const HASHED = Number(process.env.BENCH_HASHED ?? 100_000);
const PLAIN = Number(process.env.BENCH_PLAIN ?? 10_000);
/** BENCH_FLOORS=0 skips the SQL-insert and parse floors (for quick before/after runs of the import alone). */
const FLOORS = process.env.BENCH_FLOORS !== '0';
const BCRYPT = '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';

const svc = await benchServices('import');
const orm = await openOrm(svc.databaseUrl, { poolMax: 4 });
const em = () => orm.em.fork() as EntityManager;
const cores = os.availableParallelism();
console.log(`cores ${cores}, hash pool ${hashPoolSize()} threads, load average before: ${loadAverage()}`);

try {
  const [{ id: ownerId }] = await svc.sql<{ id: string }[]>(
    `insert into users (id, email, name, role) values (gen_random_uuid(), 'owner@bench.test', 'Owner', 'owner') returning id`,
  );
  const write = (name: string, rows: number, line: (i: number) => string) => {
    const file = path.join(svc.dir, name);
    const out = fs.openSync(file, 'w');
    fs.writeSync(out, 'Name,Email,Password,Role,password_hash\r\n');
    for (let i = 0; i < rows; i += 10_000) {
      fs.writeSync(out, Array.from({ length: Math.min(10_000, rows - i) }, (_, k) => line(i + k)).join('\r\n') + '\r\n');
    }
    fs.closeSync(out);
    return file;
  };
  const hashedFile = write('hashed.csv', HASHED, (i) => `"User ${i}, Hashed",h${i}@bench.test,,user,${BCRYPT}`);
  const plainFile = write('plain.csv', PLAIN, (i) => `Plain ${i},p${i}@bench.test,plain-password-${i},user,`);

  const parseFloor = async (file: string) => {
    const t = performance.now();
    let n = 0;
    for await (const _ of csvRecords(file)) n++;
    return { rows: n - 1, s: (performance.now() - t) / 1000 };
  };

  const run = async (label: string, file: string, rows: number) => {
    const id = crypto.randomUUID();
    await insertImport(em(), { id, actorId: ownerId, fileName: path.basename(file), dryRun: false });
    const load0 = os.loadavg()[0]!;
    const cpu0 = process.cpuUsage();
    const pg0 = svc.serviceCpu().postgres;
    const busy0 = hashPoolBusyMs();
    const t = performance.now();
    const counts = await runImport({ em: em() }, id, file);
    const s = (performance.now() - t) / 1000;
    const busy = (hashPoolBusyMs() - busy0) / 1000 / s / hashPoolSize();
    const cpu = process.cpuUsage(cpu0);
    const nodeCpu = (cpu.user + cpu.system) / 1e6;
    const pgCpu = svc.serviceCpu().postgres - pg0;
    console.log(
      `${label}: ${rows} rows in ${s.toFixed(2)} s (${Math.round(counts.imported / s)} users/s), imported ${counts.imported}, invalid ${counts.invalid}; ` +
        `CPU node ${nodeCpu.toFixed(1)} s + postgres ${pgCpu.toFixed(1)} s = ${(((nodeCpu + pgCpu) / s / cores) * 100).toFixed(0)}% of ${cores} cores; ` +
        `${busy > 0 ? `hash pool threads fed ${(busy * 100).toFixed(0)}% of the run; ` : ''}load average ${load0.toFixed(2)} → ${os.loadavg()[0]!.toFixed(2)}`,
    );
    return s;
  };

  // The database's share alone: the same users inserted by one SQL statement per 1,000 (every index of users), then removed.
  const sqlFloor = async (rows: number) => {
    const pg0 = svc.serviceCpu().postgres;
    const t = performance.now();
    for (let i = 0; i < rows; i += 1000)
      await svc.sql(
        `insert into users (id, email, name, role, password_hash) select gen_random_uuid(), 'f' || g || '@floor.test', 'User ' || g || ', Floor', 'user', ? from generate_series(?::int, ?::int) g`,
        [BCRYPT, i, Math.min(rows, i + 1000) - 1],
      );
    const s = (performance.now() - t) / 1000;
    console.log(`floor, SQL insert alone: ${rows} users in ${s.toFixed(2)} s, postgres CPU ${(svc.serviceCpu().postgres - pg0).toFixed(1)} s`);
    await svc.sql(`delete from users where email like '%@floor.test'`);
    // As autovacuum would before long: without it the import paid for the floor's dead index entries and its GIN pending list (about 4 CPU-s).
    await svc.sql(`vacuum analyze users`);
  };
  if (FLOORS) {
    await sqlFloor(HASHED);
    const pf = await parseFloor(hashedFile);
    console.log(`floor, parse only: ${pf.rows} rows in ${pf.s.toFixed(2)} s`);
  }
  await run('password_hash', hashedFile, HASHED);

  if (PLAIN > 0) {
    const sample = Math.min(PLAIN, 256);
    const t = performance.now();
    await hashPasswords(Array.from({ length: sample }, (_, i) => `floor-password-${i}`));
    const poolRate = sample / ((performance.now() - t) / 1000);
    console.log(`floor, hash pool alone: ${poolRate.toFixed(1)} hashes/s (${sample} passwords)`);
    await run('plaintext', plainFile, PLAIN);
  }
  const [{ n }] = await svc.sql<{ n: string }[]>(`select count(*) as n from users where password_hash like '$argon2id$%'`);
  console.log(`argon2id hashes stored: ${n}; load average after: ${loadAverage()}`);
} finally {
  await closeHashPool();
  await orm.close();
  await svc.close();
}
