import { createInterface } from 'node:readline/promises';
import { CliError, confirmationRequired, UsageError } from './errors.ts';

export const canPrompt = () => !!process.stdin.isTTY && !!process.stderr.isTTY;

/** Asks on stderr and reads an echoed line, e.g. an email address. */
export async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** Reads a secret from the terminal without echoing it; Ctrl+C aborts with status 130. */
export function askSecret(question: string): Promise<string> {
  const stdin = process.stdin;
  // Raw mode first: anything typed from the moment the question shows must not echo.
  stdin.setRawMode(true);
  process.stderr.write(question);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (fn: () => void) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      fn();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(() => resolve(value));
        if (ch === '\u0003') return done(() => process.exit(130));
        if (ch === '\u0004' && !value) return done(() => reject(new CliError('ABORTED', 'no password entered')));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** One line from stdin (`--password-stdin`): the first line, without its line ending. */
export async function readStdinLine(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** The first `n` lines of stdin, e.g. current and new password for `roster me password --password-stdin`. */
export async function readStdinLines(n: number): Promise<string[]> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.split('\n').length > n) break;
  }
  return text.split(/\r?\n/).slice(0, n);
}

/**
 * A password from stdin (`--password-stdin`) or typed without echo; never from
 * a flag, where it would land in the shell history and the process list.
 */
export async function readPassword(fromStdin: boolean, question = 'Password: ', example = 'roster …'): Promise<string> {
  if (fromStdin) {
    const password = await readStdinLine();
    if (!password) throw new UsageError('--password-stdin read an empty line', `pipe the password in, e.g. printf %s "$PASSWORD" | ${example}`);
    return password;
  }
  if (!canPrompt()) throw new UsageError('no terminal to ask for the password on', 'pipe it in with --password-stdin');
  return askSecret(question);
}

/** A new password typed twice; the two must match. */
export async function askNewPassword(question = 'New password: '): Promise<string> {
  const first = await askSecret(question);
  if (!first) throw new CliError('ABORTED', 'no password entered');
  const again = await askSecret('Repeat it: ');
  if (first !== again) throw new CliError('PASSWORD_MISMATCH', 'the two passwords differ; nothing changed', 'run the command again');
  return first;
}

/**
 * Asks before a destructive action. With `typed`, the answer must be that
 * exact text (e.g. the user's email), as the web app's delete dialog asks.
 * Refuses (nothing changed) on any other answer.
 */
export async function confirm(question: string, opts: { typed?: string } = {}): Promise<void> {
  const answer = await ask(opts.typed ? `${question}\nType ${opts.typed} to confirm: ` : `${question} [y/N] `);
  const ok = opts.typed ? answer === opts.typed : /^y(es)?$/i.test(answer);
  if (!ok) throw new CliError('ABORTED', 'not confirmed; nothing changed');
}

/**
 * Called before any request by destructive commands: false with --yes,
 * true when it will ask, and a refusal (exit 2) when it could not ask.
 */
export function mustConfirm(yes: boolean, what: string): boolean {
  if (yes) return false;
  if (!canPrompt()) throw confirmationRequired(what);
  return true;
}
