/** The peers harness's table: one row per scenario and connection count, ratios Roster / better-auth and Roster / floor. */
import fs from 'node:fs';
import path from 'node:path';
import type { Stat } from './drive.ts';
import type { Term } from './terms.ts';

const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface Row {
  scenario: string;
  connections: number;
  roster?: Stat;
  betterAuth?: Stat;
  floor?: Stat;
  worstTerm?: { term: string; ms: number };
}


const f = (x: number | undefined, d = 1) => (x == null || Number.isNaN(x) ? '—' : x.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d }));
const cell = (s?: Stat) => (s ? `${f(s.rps, 0)} req/s, p50 ${f(s.p50)}, p95 ${f(s.p95)}${s.bad ? ` (${s.bad} failed)` : ''}` : '—');
const ratio = (a?: Stat, b?: Stat) => (a && b && b.rps > 0 ? `${f(a.rps / b.rps, 2)}×` : '—');

export function format(rows: Row[]): string {
  const head = '| scenario | conn. | Roster | better-auth | floor | Roster / better-auth (req/s) | Roster / floor | Roster slowest term (median ms) |';
  const lines = rows.map(
    (r) =>
      `| ${r.scenario} | ${r.connections} | ${cell(r.roster)} | ${cell(r.betterAuth)} | ${cell(r.floor)} | ${ratio(r.roster, r.betterAuth)} | ${ratio(r.roster, r.floor)} | ${r.worstTerm ? `${JSON.stringify(r.worstTerm.term)} ${f(r.worstTerm.ms)}` : ''} |`,
  );
  return [head, '|---|---|---|---|---|---|---|---|', ...lines].join('\n');
}

/** Writes bench/RESULTS.md: the command that reproduces the run, its context, the table and how to read it. */
export function writeResults(table: string, context: string, terms: Term[], probes: number) {
  const command = [
    // The server's log level changes what a request costs (one JSON line each at info); the cluster directory only where users are kept.
    process.env.LOG_LEVEL && `LOG_LEVEL=${process.env.LOG_LEVEL}`,
    process.env.BENCH_PG_DIR && `BENCH_PG_DIR=${process.env.BENCH_PG_DIR}`,
    process.env.BENCH_USERS && `BENCH_USERS=${process.env.BENCH_USERS}`,
    process.env.BENCH_SECONDS && `BENCH_SECONDS=${process.env.BENCH_SECONDS}`,
    process.env.BENCH_CONNECTIONS && `BENCH_CONNECTIONS=${process.env.BENCH_CONNECTIONS}`,
    process.env.BENCH_ONLY && `BENCH_ONLY='${process.env.BENCH_ONLY}'`,
    'node bench/peers/run.ts',
  ]
    .filter(Boolean)
    .join(' ');
  const termList = terms.map((t) => `${JSON.stringify(t.term)} (${t.kind})`).join(', ');
  const md = `# Roster beside better-auth and the floor (issue 10)

\`\`\`sh
pnpm --filter @roster/web build
${command}
\`\`\`

${context}. Latencies in ms, from every response; req/s = responses ÷ seconds. Ratios are Roster's req/s over the other's (above 1: Roster serves more).

${table}

Search terms, cycled by each connection (better-auth searches \`name\` or \`email\` with \`contains\`, as its admin plugin offers): ${termList}.
better-auth has no last-seen or usage column; its \`updatedAt\` stands in for both orders. Page size 25 everywhere; Roster's answer also carries
the total (exact up to 1,000, else the estimate), better-auth's an exact \`count(*)\`. "Slowest term" is the slowest median of ${probes} sequential
Roster calls per term at 1 connection. The floor is \`node:http\` + \`pg\` with one prepared statement joining better-auth's session and user tables.
`;
  fs.writeFileSync(path.join(repoRoot, 'bench/RESULTS.md'), md);
}

