import pkg from '../package.json' with { type: 'json' };
import { locate, parseCommandArgs } from './cli/args.ts';
import type { Flags, FlagValues } from './cli/command.ts';
import { createRunContext, type RunContext } from './cli/context.ts';
import { CliError, EXIT, toCliError, type ErrorScene } from './cli/errors.ts';
import { renderHelp } from './cli/help.ts';
import { colorEnabled, makeStyle } from './cli/output.ts';
import { root } from './commands/index.ts';
import { resolveConnection } from './config/resolve.ts';
import { configPath } from './config/store.ts';

const env = process.env;
const stdoutStyle = () => makeStyle(colorEnabled(process.stdout, env));

/** Runs one command line and returns the exit status: 0 ok, 1 failure, 2 usage error. */
async function main(argv: string[]): Promise<number> {
  let ctx: RunContext | undefined;
  try {
    if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
      process.stdout.write(`roster ${pkg.version}\n`);
      return EXIT.ok;
    }
    const asHelp = argv[0] === 'help';
    const located = locate(root, asHelp ? argv.slice(1) : argv);
    const { rest } = located;
    let { node, path } = located;
    const wantsHelp = asHelp || rest.includes('--help') || rest.includes('-h');
    const group = node.kind === 'group' ? node : undefined;
    const fallback = group?.default ? group.children.find((c) => c.name === group.default) : undefined;
    if (fallback && !wantsHelp) ({ node, path } = { node: fallback, path: [...path, fallback.name] });
    const { flags, args } = parseCommandArgs(node, path, rest);
    if (asHelp || flags.help || node.kind === 'group') {
      process.stdout.write(renderHelp(node, path, stdoutStyle()));
      return EXIT.ok;
    }
    const conn = resolveConnection({ url: flags.url as string, profile: flags.profile as string }, env, configPath(env));
    ctx = createRunContext(conn, flags.json === true, env);
    // The parser checked each value against the command's own specs, which FlagValues is derived from.
    const input = { flags: flags as FlagValues<Flags>, args };
    const data = await node.run(ctx, input);
    const text = ctx.json || !node.human ? JSON.stringify(data, null, 2) : node.human(data, ctx, input);
    if (text) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return node.exitCode?.(data, ctx, input) ?? EXIT.ok;
  } catch (err) {
    return report(err, ctx?.scene ?? { sentToken: false });
  }
}

/** The only place errors are printed: `error CODE: message`, field errors, then a hint. */
function report(err: unknown, scene: ErrorScene): number {
  const e = toCliError(err, scene);
  const s = makeStyle(colorEnabled(process.stderr, env));
  const lines = [`${s.red(s.bold('error'))} ${s.bold(e.code)}: ${e.message}`];
  for (const [field, messages] of Object.entries(e.fieldErrors ?? {})) {
    // A field error that only repeats the message adds nothing.
    if (field !== '_' && messages.join('; ') !== e.message) lines.push(`  ${field}: ${messages.join('; ')}`);
  }
  if (e.hint) lines.push(`${s.dim('hint:')} ${e.hint}`);
  if (env.ROSTER_DEBUG && err instanceof Error && !(err instanceof CliError)) lines.push(s.dim(err.stack ?? ''));
  process.stderr.write(lines.join('\n') + '\n');
  return e.exitCode;
}

// A closed pipe (`roster users list | head -1`) is not an error worth a stack.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT.ok);
});

process.exitCode = await main(process.argv.slice(2));
