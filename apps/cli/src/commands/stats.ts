import { defineCommand } from '../cli/command.ts';
import { bar, bytes, plural, table } from '../cli/output.ts';

/** `roster stats`: Immich's server statistics, usage per user (largest first) with bars. */
export const stats = defineCommand({
  name: 'stats',
  summary: 'Show storage usage per user and in total',
  description: 'Users are sorted by usage, largest first. Needs the storage:stats permission (admins).',
  flags: {
    page: { type: 'string', value: 'N', int: { min: 1 }, description: 'Page number (default 1)' },
    'page-size': { type: 'string', value: 'N', int: { min: 1, max: 500 }, description: 'Users per page, at most 500 (default 100)' },
  },
  examples: ['roster stats', 'roster stats --json | jq ".totals"'],
  run: (ctx, { flags }) => ctx.api().admin.stats.get.query({ page: flags.page ?? 1, pageSize: flags['page-size'] ?? 100 }),
  human({ users, totals }, ctx) {
    const s = ctx.style;
    const rows = table(
      users,
      [
        { header: 'NAME', cell: (u) => (u.status === 'active' ? u.name : `${u.name} ${s.dim(`(${u.status})`)}`) },
        { header: 'EMAIL', cell: (u) => u.email },
        { header: 'FILES', cell: (u) => String(u.files).padStart(5) },
        { header: 'USAGE', cell: (u) => bytes(u.usageBytes).padStart(9) },
        { header: 'QUOTA', cell: (u) => (u.quotaBytes == null ? s.dim('unlimited') : bytes(u.quotaBytes)) },
        { header: '', cell: (u) => (u.quotaBytes == null ? '' : bar(u.usagePercent == null ? null : u.usagePercent / 100, s)) },
      ],
      s,
    );
    const more = users.length < totals.users ? s.dim(`\nShowing the ${users.length} largest; more with --page`) : '';
    return `${rows}\n${s.bold(`Total: ${plural(totals.users, 'user')}, ${plural(totals.files, 'file')}, ${bytes(totals.usageBytes)}`)}${more}`;
  },
});
