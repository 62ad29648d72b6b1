import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import pg from 'pg';
import { hashPassword } from '@roster/auth';
import { repoRoot } from '@roster/config';

/** The linked binary, exactly what `npx roster` runs from a clone. */
export const ROSTER_BIN = path.join(repoRoot, 'node_modules/.bin/roster');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Written to stdin, then closed; without it stdin is empty. */
  input?: string;
  /** Another executable to run the script with (e.g. an older node). */
  node?: string;
}

/** Settings of the machine running the tests that would change what the CLI does. */
const LEAKY = /^(ROSTER_|NO_COLOR$|FORCE_COLOR$|XDG_CONFIG_HOME$)/;

/** A throwaway home for one CLI user: its own XDG_CONFIG_HOME, so tests never touch a real config. */
export class CliSandbox {
  readonly home: string;
  readonly configHome: string;
  constructor() {
    this.home = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-cli-'));
    this.configHome = path.join(this.home, 'config');
  }
  get configFile() {
    return path.join(this.configHome, 'roster', 'config.json');
  }
  config(): { currentProfile?: string; profiles: Record<string, { url?: string; token?: string; email?: string }> } {
    return JSON.parse(fs.readFileSync(this.configFile, 'utf8'));
  }
  run(args: string[], opts: RunOptions = {}): Promise<CliResult> {
    const env: Record<string, string | undefined> = Object.fromEntries(Object.entries(process.env).filter(([k]) => !LEAKY.test(k)));
    Object.assign(env, {
      HOME: this.home,
      XDG_CONFIG_HOME: this.configHome,
      // The shim runs `node` from PATH: make it the Node running the tests.
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
      ...opts.env,
    });
    const [cmd, argv] = opts.node ? [opts.node, [path.join(repoRoot, 'apps/cli/bin/roster.mjs'), ...args]] : [ROSTER_BIN, args];
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, argv, { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(opts.input ?? '');
    });
  }
  remove() {
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

export const OWNER = { email: 'olga@example.com', name: 'Olga Owner', password: 'correct horse battery' };

/** First run over plain HTTP, as the web page does it. */
export async function createOwner(baseUrl: string, owner = OWNER): Promise<void> {
  const res = await fetch(`${baseUrl}/api/trpc/setup.createOwner`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(owner),
  });
  if (!res.ok) throw new Error(`setup.createOwner: HTTP ${res.status} ${await res.text()}`);
}

/** Puts a user straight into the database, for roles the API cannot create yet. */
export async function insertUser(
  databaseUrl: string,
  user: { email: string; name: string; password: string; role: 'admin' | 'user' | 'pending' },
): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const id = randomUUID();
    await client.query('insert into users (id, email, name, role, password_hash) values ($1, $2, $3, $4, $5)', [
      id,
      user.email,
      user.name,
      user.role,
      await hashPassword(user.password),
    ]);
    return id;
  } finally {
    await client.end();
  }
}

/** The JSON on stdout of a run that must have succeeded; otherwise fails with its stderr. */
export function okJson<T = any>(r: CliResult): T {
  if (r.code !== 0) throw new Error(`roster exited ${r.code}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** `script` (util-linux) gives the binary a pseudo-terminal, so prompts and confirmations can be tested. */
export const hasScript = fs.existsSync('/usr/bin/script');

/**
 * Runs roster on a pseudo-terminal and answers prompts: each `[pattern, reply]`
 * waits for the pattern in the terminal output, then types the reply and Enter.
 * The output is the terminal's (stdout and stderr together, with colours).
 */
export function runInTerminal(sandbox: CliSandbox, args: string[], answers: [RegExp, string][], env: Record<string, string> = {}): Promise<CliResult> {
  const quoted = [ROSTER_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const childEnv: Record<string, string | undefined> = Object.fromEntries(Object.entries(process.env).filter(([k]) => !LEAKY.test(k)));
  Object.assign(childEnv, {
    HOME: sandbox.home,
    XDG_CONFIG_HOME: sandbox.configHome,
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
    ...env,
  });
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/script', ['-qfec', quoted, '/dev/null'], { env: childEnv as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let seen = 0;
    const pending = [...answers];
    child.stdout.on('data', (d) => {
      out += d;
      const next = pending[0];
      // Readline moves the cursor after its prompt: match on the text alone.
      if (next && next[0].test(stripVTControlCharacters(out.slice(seen)))) {
        pending.shift();
        seen = out.length;
        child.stdin.write(`${next[1]}\r`);
      }
    });
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, stdout: stripVTControlCharacters(out).replace(/\r\n/g, '\n'), stderr: '' });
    });
  });
}
