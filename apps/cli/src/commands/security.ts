import { isIP } from 'node:net';
import { defineCommand, defineGroup } from '../cli/command.ts';
import { UsageError } from '../cli/errors.ts';
import { countdown, dateTime, done, table } from '../cli/output.ts';
import { confirm, mustConfirm } from '../cli/prompt.ts';

/** Brute-force holds (issue 9): accounts and addresses refused after too many failed attempts. */

const holds = defineCommand({
  name: 'holds',
  summary: 'List accounts and addresses held after too many failed sign-ins',
  description:
    'An account is held after lockoutFailures failed attempts within lockoutWindowMinutes, an address after\n' +
    'ipAttemptLimit attempts; `roster settings` shows and changes those limits.',
  flags: {},
  examples: ['roster security holds', 'roster security holds --json | jq -r ".holds[].key"'],
  run: async (ctx) => ({ holds: await ctx.api().admin.security.holds.list.query() }),
  human({ holds: rows }, ctx) {
    const s = ctx.style;
    if (!rows.length) return 'Nothing is held.';
    return table(
      rows,
      [
        { header: 'KIND', cell: (h) => (h.kind === 'account' ? 'account' : 'address') },
        { header: 'HELD', cell: (h) => s.bold(h.key) },
        { header: 'USER', cell: (h) => (h.user ? h.user.name : s.dim(h.kind === 'account' ? 'no such account' : '')) },
        { header: 'ENDS', cell: (h) => `${countdown(h.until)} ${s.dim(`(${dateTime(h.until)})`)}` },
      ],
      s,
    );
  },
});

const release = defineCommand({
  name: 'release',
  summary: 'End the hold on an account (by email) or an address, so it may try again at once',
  description: 'Its failed attempts are forgotten too. Asks first on a terminal; --yes skips the question.',
  args: [{ name: 'email-or-address', description: 'The email the hold is on, or an IP address', required: true }],
  flags: { yes: { type: 'boolean', short: 'y', description: 'Do it without asking' } },
  examples: ['roster security release ana@example.com', 'roster security release 203.0.113.5 --yes --json'],
  async run(ctx, { args, flags }) {
    const key = args[0]!.trim();
    const kind = key.includes('@') ? 'account' : isIP(key) ? 'ip' : null;
    if (!kind) throw new UsageError(`"${key}" is neither an email nor an IP address`, '`roster security holds` lists what is held');
    const ask = mustConfirm(flags.yes, 'releasing a hold');
    if (ask) await confirm(`Let ${key} try passwords again now?`);
    await ctx.api().admin.security.holds.release.mutate({ kind, key });
    return { released: true as const, kind, key };
  },
  human: (r, ctx) => done(ctx.style, `Released ${r.kind === 'account' ? 'account' : 'address'} ${r.key}`),
});

export const security = defineGroup({
  name: 'security',
  summary: 'Brute-force protection: held accounts and addresses',
  children: [holds, release],
  default: 'holds',
  examples: ['roster security', 'roster security release ana@example.com'],
});
