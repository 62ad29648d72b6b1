import fs from 'node:fs';
import type { Inputs, Outputs } from '../api-types.ts';
import { defineCommand } from '../cli/command.ts';
import { UsageError } from '../cli/errors.ts';
import { done, plural, table, type Style } from '../cli/output.ts';
import { progress } from '../cli/progress.ts';
import { confirm, mustConfirm } from '../cli/prompt.ts';
import { parseWhen } from '../cli/time.ts';
import { allGroups, resolveGroupId } from '../group-ref.ts';
import { userFilterFlags } from './user-filter-flags.ts';

type BulkInput = Inputs['admin']['users']['bulk'];
type Preview = Outputs['admin']['users']['bulkPreview'];
type JobStatus = Outputs['admin']['jobs']['get'];
const ACTIONS = ['approve', 'suspend', 'unsuspend', 'setRole', 'setQuota', 'delete', 'restore', 'revokeSessions'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const POLL_MS = 500;

/** One id per line (blank lines and `#` comments skipped); `-` reads stdin. */
function readIds(file: string): string[] {
  const text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  const ids = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const bad = ids.find((id) => !UUID.test(id));
  if (bad) throw new UsageError(`--ids: "${bad.slice(0, 60)}" is not a user id`, 'one id per line, e.g. from `roster users list --json | jq -r ".items[].id"`');
  if (!ids.length) throw new UsageError(`--ids: ${file} names no user`);
  return ids;
}

const refusedTable = (p: Preview, s: Style, max = 20) => {
  const shown = table(p.refused.slice(0, max), [
    { header: 'USER', cell: (r) => r.email ?? r.id },
    { header: 'CODE', cell: (r) => r.code },
    { header: 'REASON', cell: (r) => r.message },
  ], s);
  return p.refusedCount > max ? `${shown}\n… and ${p.refusedCount - max} more` : shown;
};

export const bulk = defineCommand({
  name: 'bulk',
  summary: 'Apply one action to many users: a preview, a confirmation, then a job with progress',
  description:
    `ACTION: ${ACTIONS.join(', ')}.\n` +
    'The users: --ids FILE (one id per line, - for stdin), or the users `users list` shows for the filter flags.\n' +
    'The preview says how many users change and which are refused and why (the owner, yourself, the rules of\n' +
    'the single command); on a terminal it asks before starting, elsewhere --yes is required. The job runs each\n' +
    'user through the single action (its checks and audit event). Exit 1 when any user failed.',
  args: [{ name: 'action', description: `One of ${ACTIONS.join(', ')}`, required: true }],
  flags: {
    ids: { type: 'string', value: 'FILE', description: 'User ids, one per line (- for stdin)' },
    ...userFilterFlags,
    reason: { type: 'string', short: 'r', value: 'TEXT', description: 'suspend: why (required)' },
    until: { type: 'string', value: 'WHEN', description: 'suspend: end, a duration (7d) or an ISO date/time' },
    'role-to': { type: 'string', value: 'ROLE', choices: ['admin', 'user', 'pending'], description: 'setRole: the new role' },
    quota: { type: 'string', value: 'GiB', number: { min: 0 }, description: 'setQuota: GiB, 0 = unlimited' },
    now: { type: 'boolean', description: 'delete: purge immediately instead of after the grace period' },
    yes: { type: 'boolean', short: 'y', description: 'Start without asking' },
  },
  examples: [
    'roster users bulk approve --role pending',
    'roster users bulk suspend --query @contractor.example --reason "contract ended" --until 30d',
    'roster users bulk setRole --ids ids.txt --role-to user --yes --json',
  ],
  async run(ctx, { flags, args }) {
    const action = args[0] as (typeof ACTIONS)[number];
    if (!ACTIONS.includes(action)) throw new UsageError(`unknown action "${args[0]}"`, `one of ${ACTIONS.join(', ')}`);
    const filtered = !!(flags.query || flags.role.length || flags.status.length || flags.group.length);
    if (!!flags.ids === filtered) throw new UsageError('name the users with --ids FILE or with filters (--query, --role, --status, --group), not both', 'e.g. --role pending');
    if (action === 'suspend' && !flags.reason?.trim()) throw new UsageError('bulk suspend needs --reason TEXT');
    if (action === 'setRole' && !flags['role-to']) throw new UsageError('bulk setRole needs --role-to ROLE');
    if (action === 'setQuota' && flags.quota === undefined) throw new UsageError('bulk setQuota needs --quota GiB');
    const ask = mustConfirm(flags.yes, 'a bulk action');
    const input = {
      action,
      args: {
        reason: flags.reason,
        until: flags.until === undefined ? undefined : parseWhen(flags.until, '--until'),
        role: flags['role-to'] as 'admin' | 'user' | 'pending' | undefined,
        quotaGiB: flags.quota === undefined ? undefined : flags.quota || null,
        immediate: flags.now || undefined,
      },
      ...(flags.ids
        ? { ids: readIds(flags.ids) }
        : {
            filter: {
              query: flags.query,
              roles: flags.role.length ? flags.role : undefined,
              statuses: flags.status.length ? flags.status : undefined,
              groupIds: flags.group.length ? await Promise.all(flags.group.map((g) => resolveGroupId(g, allGroups(ctx)))) : undefined,
            },
          }),
    } as BulkInput;
    const api = ctx.api();
    const preview = await api.admin.users.bulkPreview.mutate(input);
    const s = ctx.errStyle;
    if (!ctx.json) {
      ctx.note(`${action}: ${plural(preview.total, 'user')} selected, ${s.bold(String(preview.allowed))} to change, ${preview.refusedCount} refused`);
      if (preview.refusedCount) ctx.note(refusedTable(preview, s));
    }
    if (!preview.allowed) return { preview, jobId: null, job: null };
    if (ask) await confirm(`${action} ${plural(preview.allowed, 'user')}?`);
    const { jobId } = await api.admin.users.bulk.mutate(input);
    const bar = progress(action, preview.total, process.stderr, { amount: (n) => String(Math.round(n)), rate: false });
    let job: JobStatus;
    let seen = 0;
    try {
      for (;;) {
        job = await api.admin.jobs.get.query({ id: jobId });
        bar.advance(job.progress.done - seen);
        seen = job.progress.done;
        if (job.state === 'completed' || job.state === 'failed') break;
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    } finally {
      bar.end();
    }
    return { preview, jobId, job };
  },
  human({ preview, job }, ctx) {
    const s = ctx.style;
    if (!job) return `Nothing to do: ${plural(preview.refusedCount, 'user')} refused.`;
    if (job.state === 'failed') return `${s.red('✗')} The job failed: ${job.failedReason ?? 'unknown reason'}`;
    const sum = job.summary!;
    const problems = job.results.filter((r) => r.outcome !== 'done');
    const lines = [done(s, `${plural(sum.done, 'user')} done, ${sum.skipped} skipped, ${sum.failed} failed`)];
    if (problems.length) lines.push('', table(problems, [
      { header: 'USER', cell: (r) => r.email ?? r.id },
      { header: 'OUTCOME', cell: (r) => (r.outcome === 'failed' ? s.red(r.outcome) : r.outcome) },
      { header: 'CODE', cell: (r) => r.code ?? '' },
      { header: 'REASON', cell: (r) => r.message ?? '' },
    ], s));
    return lines.join('\n');
  },
  exitCode: ({ job }) => (job && (job.state === 'failed' || (job.summary?.failed ?? 0) > 0) ? 1 : 0),
});
