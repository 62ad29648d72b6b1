import { defineCommand, defineGroup } from '../cli/command.ts';
import { UsageError } from '../cli/errors.ts';
import { relativeTime, table } from '../cli/output.ts';
import { DEFAULT_PROFILE, readConfig, writeConfig } from '../config/store.ts';

const list = defineCommand({
  name: 'list',
  summary: 'List saved profiles; * marks the current one',
  flags: {},
  examples: ['roster profiles list', 'roster profiles list --json'],
  async run(ctx) {
    const config = readConfig(ctx.conn.configFile);
    const current = config.currentProfile ?? DEFAULT_PROFILE;
    // Tokens stay out of the output: it may be pasted into a bug report.
    return Object.entries(config.profiles).map(([name, p]) => ({
      name,
      current: name === current,
      url: p.url ?? null,
      email: p.email ?? null,
      signedIn: !!p.token,
      expiresAt: p.token ? (p.expiresAt ?? null) : null,
    }));
  },
  human(profiles, ctx) {
    const s = ctx.style;
    if (!profiles.length) return 'No profiles yet: `roster login --url URL --email EMAIL` creates one.';
    return table(
      profiles,
      [
        { header: '', cell: (p) => (p.current ? s.green('*') : ' ') },
        { header: 'NAME', cell: (p) => (p.current ? s.bold(p.name) : p.name) },
        { header: 'URL', cell: (p) => p.url ?? s.dim('-') },
        { header: 'USER', cell: (p) => p.email ?? s.dim('-') },
        { header: 'SESSION', cell: (p) => (p.signedIn ? `ends ${relativeTime(p.expiresAt)} unless used` : s.dim('signed out')) },
      ],
      s,
    );
  },
});

const use = defineCommand({
  name: 'use',
  summary: 'Make a saved profile the current one',
  args: [{ name: 'name', description: 'Profile name, as `roster profiles list` shows it', required: true }],
  flags: {},
  examples: ['roster profiles use staging'],
  async run(ctx, { args }) {
    const name = args[0]!;
    const config = readConfig(ctx.conn.configFile);
    if (!config.profiles[name]) {
      const known = Object.keys(config.profiles);
      throw new UsageError(`no profile named "${name}"`, known.length ? `known profiles: ${known.join(', ')}` : 'create one with `roster login --profile NAME …`');
    }
    writeConfig(ctx.conn.configFile, { ...config, currentProfile: name });
    return { current: name, url: config.profiles[name].url ?? null };
  },
  human: (r) => `Now using profile "${r.current}"${r.url ? ` (${r.url})` : ''}`,
});

export const profiles = defineGroup({
  name: 'profiles',
  summary: 'Switch between saved servers and accounts',
  children: [list, use],
  examples: ['roster profiles list', 'roster profiles use staging', 'roster whoami --profile staging'],
});
