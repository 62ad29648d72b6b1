import { sessionTokenFrom } from '../client.ts';
import { defineCommand } from '../cli/command.ts';
import type { RunContext } from '../cli/context.ts';
import { CliError, toCliError, UsageError } from '../cli/errors.ts';
import { relativeTime } from '../cli/output.ts';
import { ask, canPrompt, readPassword, readStdinLine } from '../cli/prompt.ts';
import { isLoopback } from '../config/resolve.ts';
import { updateProfile } from '../config/store.ts';
import { role, userDetails } from '../format/user.ts';

/** Hand-written: it prompts, and it must read the token from a header the typed client never shows. */
export const login = defineCommand({
  name: 'login',
  summary: 'Sign in to a Roster server and save the session',
  description:
    'Asks for the password without echoing it, or reads one line from stdin with --password-stdin.\n' +
    'The session token is saved in the config file (mode 0600) under the chosen profile, which becomes the current one.\n' +
    'With --api-key-stdin, an API key (rst_…) read from stdin is checked and saved instead (never pass a secret as an argument).',
  flags: {
    email: { type: 'string', value: 'EMAIL', description: 'Account email (asked for when missing on a terminal)' },
    'password-stdin': { type: 'boolean', description: 'Read the password from the first line of stdin' },
    'api-key-stdin': { type: 'boolean', description: 'Read an API key from the first line of stdin and save it instead of a session' },
  },
  examples: [
    'roster login --url https://roster.example.com --email olga@example.com',
    'printf %s "$ROSTER_PASSWORD" | roster login --url http://localhost:3000 --email olga@example.com --password-stdin',
    'roster login --profile staging --url https://staging.example.com --email olga@example.com',
    'printf %s "$KEY" | roster login --url https://roster.example.com --api-key-stdin',
  ],
  async run(ctx, { flags }) {
    const { conn } = ctx;
    const url = conn.url;
    if (!url) throw new UsageError('login needs the server address', 'pass --url URL (or set ROSTER_URL)');
    if (flags['api-key-stdin']) return saveApiKey(ctx, url);
    const sameServer = conn.profile.url === url;
    const email = flags.email ?? (sameServer ? conn.profile.email : undefined) ?? (canPrompt() ? await ask('Email: ') : '');
    if (!email) throw new UsageError('login needs --email EMAIL');
    const password = await readPassword(flags['password-stdin'], 'Password: ', 'roster login …');
    if (!isLoopback(url) && url.startsWith('http:')) {
      ctx.note(ctx.errStyle.yellow(`warning: ${url} is plain http; the password and session travel unencrypted`));
    }
    let token: string | undefined;
    const api = ctx.api({ url, token: undefined, onResponse: (res) => (token ??= sessionTokenFrom(res)) });
    const result = await api.auth.signIn.mutate({ email, password });
    if (!token) {
      throw new CliError('NO_SESSION', 'signed in, but the server sent no session cookie', 'is a proxy removing Set-Cookie headers?');
    }
    updateProfile(conn.configFile, conn.profileName, () => ({ url, token, email: result.user.email, expiresAt: result.expiresAt }), true);
    // The session this login replaces would otherwise linger in the server's session list.
    if (sameServer && conn.profile.token && conn.profile.token !== token) {
      await ctx.api({ url, token: conn.profile.token }).auth.signOut.mutate().catch(() => {});
    }
    return { url, profile: conn.profileName, user: result.user, expiresAt: result.expiresAt };
  },
  human: (r, ctx) => {
    const s = ctx.style;
    const saved = r.expiresAt
      ? `Session saved in profile "${r.profile}" (${ctx.conn.configFile}); it lasts while used, else ends ${relativeTime(r.expiresAt)}.`
      : `API key saved in profile "${r.profile}" (${ctx.conn.configFile}); it works until revoked or expired.`;
    return [`${s.green('✓')} Signed in to ${s.bold(r.url)} as ${s.bold(r.user.name)} <${r.user.email}> (${role(r.user, s)})`, s.dim(saved)].join('\n');
  },
});

/** `login --api-key-stdin`: the key is checked with auth.me (every key may call it) and saved like a session token. */
async function saveApiKey(ctx: RunContext, url: string) {
  const key = (await readStdinLine()).trim();
  if (!key.startsWith('rst_')) throw new UsageError('--api-key-stdin read no API key (they start with rst_)', 'printf %s "$KEY" | roster login --api-key-stdin …');
  if (!isLoopback(url) && url.startsWith('http:')) ctx.note(ctx.errStyle.yellow(`warning: ${url} is plain http; the API key travels unencrypted`));
  const user = await ctx.api({ url, token: key }).auth.me.query();
  updateProfile(ctx.conn.configFile, ctx.conn.profileName, () => ({ url, token: key, email: user.email }), true);
  return { url, profile: ctx.conn.profileName, user, expiresAt: null as string | null, apiKey: true };
}

export const logout = defineCommand({
  name: 'logout',
  summary: 'End the session on the server and forget it here',
  flags: {},
  examples: ['roster logout', 'roster logout --profile staging'],
  async run(ctx) {
    const { conn } = ctx;
    const result = { url: conn.url ?? null, profile: conn.profileName, signedOut: false };
    if (!conn.token) return result;
    // An API key has no session to end: it stays valid on the server until revoked.
    if (conn.token.startsWith('rst_')) {
      if (conn.tokenSource === 'profile') updateProfile(conn.configFile, conn.profileName, ({ token: _t, expiresAt: _e, ...rest }) => rest);
      ctx.note('note: the API key is forgotten here but stays valid; revoke it with `roster keys revoke`');
      return { ...result, signedOut: true };
    }
    // Forget it first: even if the server cannot be reached, this machine is signed out.
    if (conn.tokenSource === 'profile') {
      updateProfile(conn.configFile, conn.profileName, ({ token: _t, expiresAt: _e, ...rest }) => rest);
    }
    await ctx.api().auth.signOut.mutate().catch((err: unknown) => {
      const e = toCliError(err, ctx.scene);
      const until = conn.profile.expiresAt ? ` (ends ${relativeTime(conn.profile.expiresAt)} unless used)` : '';
      throw new CliError(e.code, e.message, `forgotten here, but the server session stays valid${until}`);
    });
    if (conn.tokenSource !== 'profile') ctx.note(`note: the credential came from ${conn.tokenSource}; unset it as well`);
    return { ...result, signedOut: true };
  },
  human: (r, ctx) =>
    r.signedOut
      ? `${ctx.style.green('✓')} Signed out of ${r.url} (profile "${r.profile}")`
      : `Not signed in (profile "${r.profile}")`,
});

export const whoami = defineCommand({
  name: 'whoami',
  summary: 'Show the signed-in user',
  flags: {},
  examples: ['roster whoami', 'roster whoami --json | jq -r .role'],
  run: (ctx) => ctx.api().auth.me.query(),
  human: (user, ctx: RunContext) =>
    userDetails(user, ctx.style, {
      self: true,
      extra: [
        ['Server', ctx.conn.url ?? ''],
        ['Profile', ctx.conn.tokenSource === 'profile' ? ctx.conn.profileName : `(token from ${ctx.conn.tokenSource})`],
      ],
    }),
});
