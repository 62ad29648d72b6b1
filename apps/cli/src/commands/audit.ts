import fs from 'node:fs';
import { once } from 'node:events';
import type { Inputs } from '../api-types.ts';
import { defineCommand, defineGroup } from '../cli/command.ts';
import type { RunContext } from '../cli/context.ts';
import { UsageError } from '../cli/errors.ts';
import { done, plural } from '../cli/output.ts';
import { parseWhen } from '../cli/time.ts';
import { auditTable, type AuditEvent } from '../format/audit.ts';
import { resolveUserId } from '../user-ref.ts';

/** The audit log: `roster audit list|export|verify` (admins). */

type ListInput = Inputs['admin']['audit']['list'];
const PAGE_SIZE = 50;
const DURATION = /^\d+(\.\d+)?[mhdw]$/i;

/** A duration means that long ago here (`--from 7d`), unlike `parseWhen`'s "from now". */
function since(value: string, flag: string): string {
  const v = value.trim();
  if (!DURATION.test(v)) return parseWhen(v, flag);
  const ahead = Date.parse(parseWhen(v, flag));
  return new Date(2 * Date.now() - ahead).toISOString();
}

const filterFlags = {
  actor: { type: 'string', value: 'USER', description: 'Only events by this user (id or email)' },
  target: { type: 'string', value: 'ID', description: 'Only events about this user (id or email) or group (id)' },
  action: { type: 'string', value: 'ACTION', description: 'Only this action (user.update), or a prefix ending in "." (user.)' },
  from: { type: 'string', value: 'WHEN', description: 'Only events at or after: 7d (ago), 2027-01-31, or a date-time' },
  to: { type: 'string', value: 'WHEN', description: 'Only events before: 1d (ago), 2027-02-01, or a date-time' },
} as const;
type Filters = { actor?: string; target?: string; action?: string; from?: string; to?: string };

async function filters(ctx: RunContext, f: Filters): Promise<Omit<ListInput, 'page' | 'pageSize'>> {
  return {
    actorId: f.actor ? await resolveUserId(ctx, f.actor) : undefined,
    targetId: f.target ? await resolveUserId(ctx, f.target) : undefined,
    action: f.action,
    from: f.from ? since(f.from, '--from') : undefined,
    to: f.to ? since(f.to, '--to') : undefined,
  };
}

const list = defineCommand({
  name: 'list',
  summary: 'List audit events, newest first, filtered and paged',
  description: 'Each event names its actor ("system" for the worker), target, address and the fields it changed.\nNeeds the audit:read permission (admins and the owner).',
  flags: {
    ...filterFlags,
    page: { type: 'string', value: 'N', int: { min: 1 }, description: 'Page number (default 1)' },
    'page-size': { type: 'string', value: 'N', int: { min: 1, max: 500 }, description: `Events per page, at most 500 (default ${PAGE_SIZE})` },
    wide: { type: 'boolean', short: 'w', description: 'Full times, addresses and details' },
  },
  examples: [
    'roster audit list',
    'roster audit list --target uma@example.com',
    'roster audit list --action auth.signInFailed --from 24h',
    'roster audit list --actor olga@example.com --from 2027-01-01 --to 2027-02-01 --json | jq ".items[].action"',
  ],
  async run(ctx, { flags }) {
    const input = { ...(await filters(ctx, flags)), page: flags.page ?? 1, pageSize: flags['page-size'] ?? PAGE_SIZE };
    return ctx.api().admin.audit.list.query(input);
  },
  human({ items, total }, ctx, { flags }) {
    const s = ctx.style;
    const page = flags.page ?? 1;
    const size = flags['page-size'] ?? PAGE_SIZE;
    if (!items.length) return total ? `Page ${page} is past the end: ${plural(total, 'event')} in total.` : 'No events match.';
    const first = (page - 1) * size + 1;
    const more = first + items.length - 1 < total ? `; next: --page ${page + 1}` : '';
    return `${auditTable(items, s, flags.wide)}\n${s.dim(`Showing ${first}–${first + items.length - 1} of ${plural(total, 'event')}${more}`)}`;
  },
});

const CSV_COLUMNS = ['id', 'at', 'action', 'actorId', 'actorEmail', 'targetId', 'targetName', 'targetEmail', 'ip', 'userAgent', 'details'] as const;
const csvCell = (v: unknown): string => {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // A spreadsheet would run a cell starting like a formula.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const csvLine = (e: AuditEvent) => CSV_COLUMNS.map((c) => csvCell(e[c])).join(',') + '\r\n';

const exportCmd = defineCommand({
  name: 'export',
  summary: 'Write every matching event, newest first, as JSON lines or CSV',
  description: 'Streams page by page to stdout, or to --out FILE (CSV when it ends in .csv, else JSON lines).\nEvents written while it runs are left out, so the export is one consistent cut.',
  flags: {
    ...filterFlags,
    out: { type: 'string', short: 'o', value: 'FILE', description: 'Write here instead of stdout' },
    format: { type: 'string', value: 'FORMAT', choices: ['jsonl', 'csv'], description: 'jsonl (default) or csv' },
  },
  examples: ['roster audit export --out audit.jsonl', 'roster audit export --format csv --from 30d > audit.csv', 'roster audit export --target uma@example.com | jq .action'],
  async run(ctx, { flags }) {
    const format = flags.format ?? (flags.out?.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl');
    if (!flags.out && ctx.json) throw new UsageError('the export goes to stdout, where --json would go too', 'pass --out FILE, or drop --json');
    const base = await filters(ctx, flags);
    const out = flags.out ? fs.createWriteStream(flags.out) : process.stdout;
    const write = async (text: string) => {
      if (!out.write(text)) await once(out, 'drain');
    };
    if (format === 'csv') await write(CSV_COLUMNS.join(',') + '\r\n');
    let beforeId: number | undefined;
    let count = 0;
    for (;;) {
      const { items } = await ctx.api().admin.audit.list.query({ ...base, beforeId, page: 1, pageSize: 500 });
      for (const e of items) await write(format === 'csv' ? csvLine(e) : `${JSON.stringify(e)}\n`);
      count += items.length;
      if (items.length < 500) break;
      beforeId = items.at(-1)!.id;
    }
    if (out !== process.stdout) await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return flags.out ? { exported: count, out: flags.out, format } : undefined;
  },
  human: (r, ctx) => (r ? done(ctx.style, `Exported ${plural(r.exported, 'event')} to ${r.out} (${r.format})`) : ''),
});

const verify = defineCommand({
  name: 'verify',
  summary: 'Check the hash chain: exit 0 when intact, 1 naming the first edited, inserted or removed event',
  description: 'Events pruned by retention are covered by a checkpoint. Note the head hash somewhere else\nto also catch a rewrite of the whole log.',
  flags: {},
  examples: ['roster audit verify', 'roster audit verify --json | jq .head'],
  async run(ctx) {
    const verdict = await ctx.api().admin.audit.verify.query();
    if (!verdict.ok) ctx.note(`${ctx.errStyle.red('error AUDIT_TAMPERED:')} ${verdict.problem?.message}`);
    return verdict;
  },
  human(v, ctx) {
    const s = ctx.style;
    if (!v.ok) return `${s.red('Tampered:')} ${v.problem?.kind} at position ${v.problem?.seq}${v.problem?.id ? ` (event ${v.problem.id})` : ''}`;
    return `${done(s, `Audit log intact: ${plural(v.checked, 'event')} verified`)}\n  ${s.dim(`head ${v.head.seq} ${v.head.hash}`)}`;
  },
  exitCode: (v) => (v.ok ? 0 : 1),
});

export const audit = defineGroup({
  name: 'audit',
  summary: 'Read, export and verify the audit log',
  children: [list, exportCmd, verify],
  default: 'list',
  examples: ['roster audit', 'roster audit list --target uma@example.com', 'roster audit export --out audit.csv', 'roster audit verify'],
});
