/**
 * The admin users search at a million users (issue 3: p95 of a search page
 * ≤ 15 ms). Starts a throwaway embedded PostgreSQL, migrates it, generates
 * the users with one INSERT … SELECT generate_series, then times the real
 * `listUsers` from packages/core (page 1, 25 rows, and the total) for about
 * 200 search terms and prints p50/p95/p99 and one EXPLAIN ANALYZE.
 *
 *   node bench/search.ts                 # 1,000,000 users
 *   BENCH_USERS=100000 node bench/search.ts
 *   BENCH_PG_DIR=/var/tmp/roster-bench node bench/search.ts   # keep and reuse the cluster
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { listUsers, systemClock, type CoreDeps, type ListUsersInput } from '@roster/core';
import { migrate, openOrm, type EntityManager, type MikroORM } from '@roster/db';
import { startEmbeddedPostgres } from '@roster/db/embedded-postgres';
import { loadAverage } from './report.ts';

const USERS = Number(process.env.BENCH_USERS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const FIRST = `James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph
  Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Margaret Mark Sandra Donald
  Ashley Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa
  Timothy Deborah Ronald Stephanie Edward Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy Nicholas
  Angela Eric Shirley Jonathan Anna Stephen Brenda Larry Pamela Justin Emma Scott Nicole Brandon Helen Benjamin Samantha
  Samuel Katherine Gregory Christine Alexander Debra Frank Rachel Patrick Carolyn Raymond Janet Jack Catherine Dennis
  Maria Jerry Heather Tyler Diane Aaron Ruth Jose Julie Adam Olivia Nathan Joyce Henry Virginia Zachary Victoria Douglas
  Kelly Peter Lauren Kyle Christina Noah Joan Ethan Evelyn Jeremy Judith Walter Megan Christian Andrea Keith Cheryl Roger
  Hannah Terry Jacqueline Austin Martha Sean Gloria Gerald Teresa Carl Ann Harold Sara Dylan Madison Arthur Frances
  Lawrence Kathryn Jordan Janice Jesse Jean Bryan Abigail Billy Alice Bruce Judy Gabriel Sophia Joe Grace Logan Denise
  Alan Amber Juan Doris Albert Marilyn Willie Danielle Elijah Beverly Wayne Isabella Randy Theresa Vincent Diana Mason
  Natalie Roy Brittany Ralph Charlotte Bobby Marie Russell Kayla Bradley Alexis Philip Lori Eugene Ingrid Lars Sofia
  Mateo Lucia Hugo Chloe Léa Jonas Mia Lukas Hanna Matteo Giulia Yuki Haruto Aiko Wei Mei Arjun Priya Rohan Ananya
  Omar Fatima Ali Aisha Kwame Amara Chidi Ngozi Sipho Thandiwe Diego Valentina Santiago Camila Joaquín Ximena Ivan Olga
  Dmitri Anastasia Piotr Zofia Jan Eva Mikkel Freja Nils Astrid Sven Elin Tomás Inês Björn Zoë`.split(/\s+/);
const LAST = `Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson
  Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson
  Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell
  Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook
  Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks
  Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez
  Powell Jenkins Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero
  Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis
  Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy
  Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva
  Shaw Snyder Mason Dixon Muñoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills
  Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer
  Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson
  Müller Schneider Fischer Weber Becker Schulz Hoffmann Rossi Russo Ferrari Esposito Bianchi Romano Dubois Lefèvre
  Moreau Laurent Girard Bonnet Tanaka Suzuki Takahashi Watanabe Yamamoto Wang Li Zhang Liu Yang Huang Sharma Singh Kumar
  Gupta Okafor Mensah Adeyemi Nakamura Kowalski Nowak Wiśniewski Jensen Nielsen Andersson Johansson Larsson Novák
  Horvat Kovač Popescu Ivanova Petrov Sokolov Silva Oliveira Souza Pereira Costa Almeida Carvalho Haddad Khalil Nasser`.split(/\s+/);
const DOMAINS = `gmail.com gmail.com gmail.com gmail.com gmail.com outlook.com outlook.com hotmail.com yahoo.com yahoo.com
  icloud.com proton.me fastmail.com gmx.de web.de orange.fr libero.it acme-corp.com globex.io initech.com umbrella.org
  hooli.xyz stark-industries.com wayne-enterprises.com example.org university.edu cityhall.gov`.split(/\s+/);

const sqlArray = (xs: string[]) => `array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]::text[]`;
/** A non-negative hash of a bigint expression, different per salt. */
const h = (expr: string, salt: number) => `(hashint8((${expr})::bigint * 1000003 + ${salt}) & 2147483647)`;
/** Email local parts are ASCII: translate() arguments that fold the accented letters of the name lists. */
const accented = [...new Set([...FIRST, ...LAST].join('').toLowerCase())].filter((c) => c > '~');
const ascii = accented.map((c) => (c === 'ł' ? 'l' : c.normalize('NFD').replace(/\p{M}/gu, '')));

/** One statement: names and emails drawn from the lists by hashes of the row number, so every run builds the same table. */
function generateSql(n: number): string {
  return `
    with lists as (select ${sqlArray(FIRST)} as f, ${sqlArray(LAST)} as l, ${sqlArray(DOMAINS)} as d),
    picks as (
      select i,
             f[1 + ${h('i', 1)} % cardinality(f)] as first,
             l[1 + ${h('i', 2)} % cardinality(l)] as last,
             d[1 + ${h('i', 3)} % cardinality(d)] as domain,
             ${h('i', 4)} % 100 as r
        from generate_series(2, ${n}) as i, lists
    )
    insert into users (id, email, name, role, status, must_change_password, usage_bytes, quota_bytes,
                       suspended_reason, last_active_at, created_at, updated_at, deleted_at, purge_at)
    select gen_random_uuid(),
           translate(lower(case r % 4
             when 0 then first || '.' || last || i
             when 1 then left(first, 1) || last || i
             when 2 then first || '_' || i
             else last || '.' || first || i end), '${accented.join('')}', '${ascii.join('')}') || '@' || domain,
           first || ' ' || last,
           case when r < 1 then 'admin' when r < 4 then 'pending' else 'user' end,
           case when r between 90 and 91 then 'suspended' when r >= 97 then 'deleted' else 'active' end,
           r % 10 = 0,
           (${h('i', 5)} % 50000)::bigint * 1048576,
           case when r % 5 = 0 then 107374182400 end,
           case when r between 90 and 91 then 'Policy review' end,
           case when r < 70 then now() - make_interval(secs => ${h('i', 6)} % 31536000) end,
           now() - make_interval(secs => ${n} - i + ${h('i', 7)} % 600) * 94,
           now() - make_interval(secs => ${h('i', 8)} % 2592000),
           case when r >= 97 then now() - interval '1 day' end,
           case when r >= 97 then now() + interval '6 days' end
      from picks`;
}

/** A small deterministic PRNG, so the term list is the same on every run. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** About 200 terms as admins type them: pieces of real names and emails, whole names, domains, a few 1–2 letter ones and misses. */
async function searchTerms(em: EntityManager, users: number): Promise<{ term: string; kind: string }[]> {
  const rand = mulberry32(42);
  const every = Math.max(1, Math.floor(users / 1000));
  const sample = await em.execute<{ name: string; email: string }[]>(
    `select name, email from users where (hashtext(id::text) & 2147483647) % ${every} = 0 order by email limit 1000`,
  );
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const slice = (s: string, min: number, max: number) => {
    const len = Math.min(s.length, min + Math.floor(rand() * (max - min + 1)));
    const at = Math.floor(rand() * (s.length - len + 1));
    return s.slice(at, at + len);
  };
  const terms: { term: string; kind: string }[] = [];
  const add = (term: string, kind: string) => {
    const t = term.trim();
    if (t && !terms.some((x) => x.term === t)) terms.push({ term: t, kind });
  };
  const fill = (upTo: number, kind: string, make: () => string) => {
    for (let tries = 0; terms.length < upTo && tries < 10_000; tries++) add(make(), kind);
  };
  fill(80, 'name substring', () => slice(pick(sample).name, 3, 7));
  fill(140, 'email substring', () => slice(pick(sample).email.split('@')[0]!, 3, 8));
  fill(160, 'full name', () => pick(sample).name);
  fill(175, 'full email', () => pick(sample).email);
  for (const d of ['gmail', 'proton', 'acme-corp', 'university.edu', 'yahoo.com']) add(d, 'domain');
  for (const t of ['a', 'e', 'jo', 'li', 'ma', 'x', 'an', 'k', 'ov', 'ze']) add(t, '1–2 chars');
  for (const t of ['zzqx', 'qwertyuiop', 'nobody-here', 'xylophone', '@@@', '%_%', 'ünïcödé', 'supercalifragilistic', "o'brien", '1234567'])
    add(t, 'no match');
  return terms;
}

/**
 * CPU time spent so far by this database's client backends, from
 * /proc/<pid>/schedstat (nanoseconds on CPU). It does not grow while a
 * backend waits for a CPU, so it tells what a call costs whatever else the
 * machine is doing. Parallel workers are not counted (they exit at once).
 */
function backendCpuNs(): number {
  let total = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('postgres: postgres roster_bench ')) continue;
      total += Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // the process ended between listing and reading
    }
  }
  return total;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const fmt = (ms: number) => ms.toFixed(2).padStart(8);

async function main() {
  const keep = process.env.BENCH_PG_DIR;
  const root = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'roster-bench-'));
  // postgres runs as its own OS user when we are root; it must reach the data folder.
  fs.mkdirSync(root, { recursive: true });
  fs.chmodSync(root, 0o755);
  const pg = await startEmbeddedPostgres(path.join(root, 'pg'), { quiet: true });
  let orm: MikroORM | undefined;
  try {
    await pg.createDatabase('roster_bench');
    orm = await openOrm(pg.url('roster_bench'), { poolMax: 2 });
    const applied = await migrate(orm);
    const em = orm.em.fork() as EntityManager;
    const [{ n: existing }] = await em.execute<{ n: number }[]>(`select count(*)::int as n from users`);
    if (existing !== USERS) {
      console.log(`migrated (${applied.join(', ') || 'up to date'}); generating ${USERS.toLocaleString('en')} users…`);
      const t0 = performance.now();
      await em.execute(`truncate users cascade`);
      await em.execute(`insert into users (id, email, name, role, password_hash) values
        (gen_random_uuid(), 'owner@example.com', 'Olga Owner', 'owner', null)`);
      await em.execute(generateSql(USERS));
      await em.execute(`vacuum analyze users`);
      console.log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } else {
      console.log(`reusing ${existing.toLocaleString('en')} users in ${root}; migrations: ${applied.join(', ') || 'up to date'}`);
      await em.execute(`analyze users`);
    }

    const terms = await searchTerms(em, USERS);
    // Wall-clock figures mean little on a busy machine: say how busy it was.
    const loadAtStart = loadAverage(1);
    const captured: { sql: string; params: readonly unknown[] }[] = [];
    orm.config.set('onQuery', (sql: string, params: readonly unknown[]) => {
      captured.push({ sql, params });
      return sql;
    });
    const run = async (query: string) => {
      const deps = { em: orm!.em.fork(), clock: systemClock } as unknown as CoreDeps;
      const input: ListUsersInput = { query, page: 1, pageSize: 25 };
      const pg0 = backendCpuNs();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const res = await listUsers(deps, input);
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const nodeMs = (cpu.user + cpu.system) / 1000;
      const pgMs = (backendCpuNs() - pg0) / 1e6;
      return { ms, cpuMs: nodeMs + pgMs, nodeMs, pgMs, total: res.total, items: res.items.length };
    };

    for (const { term } of terms) await run(term); // warm the cache and the ORM's metadata paths
    const times = new Map<string, number[]>();
    const cpuTimes: number[] = [];
    const nodeTimes: number[] = [];
    const pgTimes: number[] = [];
    const totals = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      for (const { term } of terms) {
        const r = await run(term);
        (times.get(term) ?? times.set(term, []).get(term)!).push(r.ms);
        cpuTimes.push(r.cpuMs);
        nodeTimes.push(r.nodeMs);
        pgTimes.push(r.pgMs);
        totals.set(term, r.total);
      }
    }

    const all = [...times.values()].flat().sort((a, b) => a - b);
    console.log(`\n${terms.length} terms × ${ROUNDS} rounds = ${all.length} calls of listUsers({query, page: 1, pageSize: 25}) over ${USERS.toLocaleString('en')} users`);
    console.log(`        ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}  (ms)`);
    console.log(`all     ${fmt(quantile(all, 0.5))} ${fmt(quantile(all, 0.95))} ${fmt(quantile(all, 0.99))} ${fmt(all.at(-1)!)}`);
    for (const [label, xs, note] of [
      ['cpu', cpuTimes, 'CPU ms per call, node + PostgreSQL: about the latency on an idle machine'],
      ['  node', nodeTimes, 'of which node (MikroORM, DTOs)'],
      ['  pg', pgTimes, 'of which PostgreSQL backends'],
    ] as const) {
      const sorted = [...xs].sort((a, b) => a - b);
      console.log(`${label.padEnd(8)}${fmt(quantile(sorted, 0.5))} ${fmt(quantile(sorted, 0.95))} ${fmt(quantile(sorted, 0.99))} ${fmt(sorted.at(-1)!)}  (${note})`);
    }
    const kinds = [...new Set(terms.map((t) => t.kind))];
    for (const kind of kinds) {
      const xs = terms.filter((t) => t.kind === kind).flatMap((t) => times.get(t.term)!).sort((a, b) => a - b);
      console.log(`${kind.padEnd(16)}${fmt(quantile(xs, 0.5))} ${fmt(quantile(xs, 0.95))} ${fmt(quantile(xs, 0.99))} ${fmt(xs.at(-1)!)}  n=${xs.length}`);
    }
    const slowest = [...times.entries()]
      .map(([term, xs]) => ({ term, ms: [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!, total: totals.get(term)! }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 8);
    console.log('\nslowest terms (median ms, total):');
    for (const s of slowest) console.log(`  ${JSON.stringify(s.term).padEnd(28)} ${fmt(s.ms)}  ${s.total}`);

    // A rare term (answered from the capped candidates), a middling one (capped count, then the ordered page) and a broad one (ordered page only).
    const platform = orm.em.getPlatform();
    for (const term of (process.env.BENCH_EXPLAIN ?? 'tterson6,garcia,gmail').split(',')) {
      captured.length = 0;
      const r = await run(term);
      console.log(`\n=== EXPLAIN (ANALYZE, BUFFERS) of the queries listUsers runs for ${JSON.stringify(term)} (total ${r.total}; ${r.ms.toFixed(1)} ms)`);
      for (const q of captured.filter((c) => !/^\s*explain/i.test(c.sql))) {
        const sql = platform.formatQuery(q.sql, q.params as unknown[]);
        console.log(`\n${sql}\n`);
        const plan = await orm.em.fork().execute<{ 'QUERY PLAN': string }[]>(`explain (analyze, buffers) ${sql}`);
        console.log(plan.map((r) => r['QUERY PLAN']).join('\n'));
      }
    }
    console.log(`\nload average ${loadAverage(1)} (1/5/15 min) at the end; ${loadAtStart} at the start`);
    console.log(`node ${process.version}, PostgreSQL ${(await em.execute<{ server_version: string }[]>(`show server_version`))[0]!.server_version}, ${os.cpus().length} × ${os.cpus()[0]?.model}`);
  } finally {
    await orm?.close();
    await pg.stop();
    if (!keep) fs.rmSync(root, { recursive: true, force: true });
  }
}

await main();
