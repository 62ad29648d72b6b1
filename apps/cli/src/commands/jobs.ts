import { every, type Inputs } from '../api-types.ts';
import { suggest } from '../cli/args.ts';
import { defineCommand, defineGroup } from '../cli/command.ts';
import { UsageError } from '../cli/errors.ts';
import { done, table } from '../cli/output.ts';

type JobName = Inputs['admin']['jobs']['run']['name'];
const RUNNABLE = every<JobName>()('storage-migration', 'recalculate-usage', 'sweep-orphans');
const ABOUT: Record<JobName, string> = {
  'storage-migration': 'moves every file into its owner\'s current storage folder',
  'recalculate-usage': 'recounts each user\'s usage from their files and reports drift',
  'sweep-orphans': 'removes files on disk that no file row references and abandoned partial uploads, once past the grace period (an hour by default)',
};

const list = defineCommand({
  name: 'list',
  summary: 'Show job counts per queue: waiting, active, delayed, completed, failed',
  flags: {},
  examples: ['roster jobs list', 'roster jobs list --json | jq ".jobs[] | select(.failed > 0)"'],
  run: (ctx) => ctx.api().admin.jobs.list.query(),
  human({ jobs }, ctx) {
    const s = ctx.style;
    if (!jobs.length) return 'No jobs have run yet.';
    const n = (v: number, paint = (x: string) => x) => (v ? paint(String(v)) : s.dim('0'));
    return table(
      jobs,
      [
        { header: 'JOB', cell: (j) => j.name },
        { header: 'WAITING', cell: (j) => n(j.waiting) },
        { header: 'ACTIVE', cell: (j) => n(j.active, s.cyan) },
        { header: 'DELAYED', cell: (j) => n(j.delayed) },
        { header: 'COMPLETED', cell: (j) => n(j.completed, s.green) },
        { header: 'FAILED', cell: (j) => n(j.failed, s.red) },
      ],
      s,
    );
  },
});

const run = defineCommand({
  name: 'run',
  summary: 'Start a maintenance job: storage-migration, recalculate-usage or sweep-orphans',
  description: RUNNABLE.map((j) => `${j}: ${ABOUT[j]}`).join('\n') + '\nThe worker runs it; `roster jobs list` shows its progress.',
  args: [{ name: 'job', description: RUNNABLE.join(' or '), required: true }],
  flags: {},
  examples: ['roster jobs run storage-migration', 'roster jobs run recalculate-usage', 'roster jobs run sweep-orphans'],
  async run(ctx, { args }) {
    const name = args[0]!;
    if (!(RUNNABLE as readonly string[]).includes(name)) {
      const guess = suggest(name, RUNNABLE);
      throw new UsageError(`no job named "${name}"`, `${guess ? `did you mean ${guess}? ` : ''}jobs: ${RUNNABLE.join(', ')}`);
    }
    return ctx.api().admin.jobs.run.mutate({ name: name as JobName });
  },
  human: (r, ctx) => `${done(ctx.style, `Queued ${r.name} (${r.job})`)}\n${ctx.style.dim('`roster jobs list` shows when it is done.')}`,
});

export const jobs = defineGroup({
  name: 'jobs',
  summary: 'Background jobs: status, and starting the maintenance ones',
  children: [list, run],
  default: 'list',
  examples: ['roster jobs', 'roster jobs run storage-migration'],
});
