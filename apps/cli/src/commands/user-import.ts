import fs from 'node:fs';
import type { Outputs } from '../api-types.ts';
import { defineCommand } from '../cli/command.ts';
import { CliError, UsageError } from '../cli/errors.ts';
import { done, plural, table } from '../cli/output.ts';
import { progress } from '../cli/progress.ts';
import type { RunContext } from '../cli/context.ts';

type Status = Outputs['admin']['users']['importStatus'];
type ReportRow = Status['report']['items'][number];

const PAGE = 1000;
const rows = (n: number) => `${Math.round(n)} rows`;
const until = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the import until it ends, drawing a rows bar on a TTY. */
async function follow(ctx: RunContext, jobId: string): Promise<Status> {
  let bar: ReturnType<typeof progress> | null = null;
  let shown = 0;
  try {
    for (;;) {
      const s = await ctx.api().admin.users.importStatus.query({ jobId, limit: 1 });
      if (s.totalRows !== null && !bar) bar = progress('import', s.totalRows, process.stderr, { amount: rows, rate: true });
      bar?.advance(s.processedRows - shown);
      shown = s.processedRows;
      if (s.status === 'done' || s.status === 'failed') return s;
      await until(250);
    }
  } finally {
    bar?.end();
  }
}

/** The whole per-row report, page by page. */
async function fullReport(ctx: RunContext, jobId: string, total: number): Promise<ReportRow[]> {
  const out: ReportRow[] = [];
  for (let offset = 0; offset < total; offset += PAGE) out.push(...(await ctx.api().admin.users.importStatus.query({ jobId, offset, limit: PAGE })).report.items);
  return out;
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
export const reportCsv = (items: ReportRow[]) =>
  ['row,email,status,code,message', ...items.map((r) => [r.row, r.email, r.status, r.code, r.message].map(csvCell).join(','))].join('\r\n') + '\r\n';

export const importUsers = defineCommand({
  name: 'import',
  summary: 'Import users from a CSV file (Open WebUI format), streamed',
  description:
    'Header Name,Email,Password,Role (any case), optionally password_hash (bcrypt $2a$/$2b$/$2y$ or Argon2 PHC:\n' +
    'those users sign in with their old password), quota_gib or quota_bytes, storage_label, groups (a;b), status.\n' +
    'The file is streamed to the server and imported by a job; a progress bar shows on a terminal.\n' +
    'Emails already present (in the file or on the server) are skipped and reported, so a second run imports nothing new.\n' +
    'Exit 0 when no row was refused as invalid (skipped duplicates are fine), 1 otherwise or when the file is malformed.\n' +
    'Needs the user:create permission (admins and the owner).',
  args: [{ name: 'file', description: 'The CSV file', required: true }],
  flags: {
    'dry-run': { type: 'boolean', description: 'Check every row and report, without creating anyone' },
    report: { type: 'string', value: 'FILE', description: 'Also save the per-row report as CSV' },
  },
  examples: ['roster users import users.csv --dry-run', 'roster users import users.csv --report report.csv', 'roster users import users.csv --json | jq ".counts"'],
  async run(ctx, { flags, args }) {
    const file = args[0]!;
    let size: number;
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) throw new UsageError(`${file} is not a regular file`);
      size = st.size;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
    const { postFile } = await import('../files-http.ts');
    const dryRun = flags['dry-run'];
    const { jobId } = await postFile<{ jobId: string }>(ctx, `/api/users/import${dryRun ? '?dryRun=1' : ''}`, file, size, 202, { 'content-type': 'text/csv' });
    const s = await follow(ctx, jobId);
    if (s.status === 'failed') throw new CliError(s.error?.code ?? 'IMPORT_FAILED', s.error?.message ?? 'the import failed', 'fix the file and run the import again; nothing was imported');
    const report = await fullReport(ctx, jobId, s.report.total);
    if (flags.report) fs.writeFileSync(flags.report, reportCsv(report));
    return { jobId, dryRun: s.dryRun, totalRows: s.totalRows ?? 0, counts: s.counts, report };
  },
  human(r, ctx) {
    const s = ctx.style;
    const problems = r.report.filter((x) => x.status === 'skipped' || x.status === 'invalid');
    const c = r.counts;
    const head = r.dryRun
      ? `Dry run of ${plural(r.totalRows, 'row')}: ${c.valid} would be imported, ${c.skipped} skipped, ${c.invalid} invalid; nothing was written`
      : `Imported ${plural(c.imported, 'user')} of ${plural(r.totalRows, 'row')}: ${c.skipped} skipped, ${c.invalid} invalid`;
    const cols = [
      { header: 'ROW', cell: (x: ReportRow) => String(x.row) },
      { header: 'EMAIL', cell: (x: ReportRow) => x.email ?? '' },
      { header: 'STATUS', cell: (x: ReportRow) => (x.status === 'invalid' ? s.red(x.status) : s.yellow(x.status)) },
      { header: 'CODE', cell: (x: ReportRow) => x.code ?? '' },
      { header: 'MESSAGE', cell: (x: ReportRow) => x.message ?? '' },
    ];
    return [problems.length ? table(problems, cols, s) : '', c.invalid ? `${s.red('✗')} ${head}` : done(s, head)].filter(Boolean).join('\n');
  },
  exitCode: (r) => (r.counts.invalid > 0 ? 1 : 0),
});
