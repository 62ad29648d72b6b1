import { parseArgs } from 'node:util';
import type { Command, Flags, FlagSpec, Group, Node } from './command.ts';
import { UsageError } from './errors.ts';

/** Flags every command accepts. */
export const GLOBAL_FLAGS = {
  json: { type: 'boolean', description: 'Print only JSON on stdout (stable camelCase fields)' },
  url: { type: 'string', value: 'URL', description: 'Roster server (default: ROSTER_URL, then the profile)' },
  profile: { type: 'string', value: 'NAME', description: 'Config profile (default: ROSTER_PROFILE, then the current one)' },
  help: { type: 'boolean', short: 'h', description: 'Show help for this command' },
} as const satisfies Flags;

export interface Located {
  node: Node;
  /** Names from the root to the node, e.g. ['users', 'list']. */
  path: string[];
  /** argv without those names. */
  rest: string[];
}

/** Walks the command tree along argv's leading words, skipping global flags and their values. */
export function locate(root: Group, argv: readonly string[]): Located {
  let node: Node = root;
  const path: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('-')) {
      rest.push(arg);
      if ((arg === '--url' || arg === '--profile') && i + 1 < argv.length) rest.push(argv[++i]!);
      continue;
    }
    if (node.kind === 'group') {
      const child: Node | undefined = node.children.find((c) => c.name === arg);
      if (!child) {
        const where = ['roster', ...path].join(' ');
        const guess = suggest(arg, node.children.map((c) => c.name));
        throw new UsageError(
          `unknown command "${arg}" for "${where}"`,
          `${guess ? `did you mean "${[where, guess].join(' ')}"? ` : ''}Run \`${where} --help\` to see the commands.`,
        );
      }
      node = child;
      path.push(arg);
      continue;
    }
    rest.push(arg);
  }
  return { node, path, rest };
}

export interface Parsed {
  flags: Record<string, unknown>;
  args: string[];
}

/** Strict parse of one command's flags plus the global ones; every mistake is a UsageError (exit 2). */
export function parseCommandArgs(cmd: Command | Group, path: string[], rest: string[]): Parsed {
  const specs: Flags = { ...GLOBAL_FLAGS, ...(cmd.kind === 'command' ? cmd.flags : {}) };
  const where = ['roster', ...path].join(' ');
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, s]) => [name, { type: s.type, multiple: !!s.multiple, ...(s.short ? { short: s.short } : {}) }]),
  );
  let values: Record<string, unknown>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: rest, options, strict: true, allowPositionals: true }));
  } catch (err) {
    if (!String((err as { code?: string }).code).startsWith('ERR_PARSE_ARGS')) throw err;
    throw parseError(err as Error & { code?: string }, where, Object.keys(specs));
  }
  if (values.help) return { flags: values, args: positionals };
  const flags: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) flags[name] = convert(name, spec, values[name], where);
  const argSpecs = cmd.kind === 'command' ? (cmd.args ?? []) : [];
  if (positionals.length > argSpecs.length && !argSpecs.at(-1)?.variadic) {
    throw new UsageError(`unexpected argument "${positionals[argSpecs.length]}" for "${where}"`, `see \`${where} --help\``);
  }
  const missing = argSpecs.slice(positionals.length).find((a) => a.required);
  if (missing) throw new UsageError(`"${where}" needs ${missing.name.toUpperCase()}`, `see \`${where} --help\``);
  return { flags, args: positionals };
}

function convert(name: string, spec: FlagSpec, raw: unknown, where: string): unknown {
  if (spec.type === 'boolean') return raw === true;
  if (raw === undefined) return spec.multiple ? [] : undefined;
  const list = spec.multiple ? (raw as string[]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean) : [raw as string];
  for (const v of list) {
    if (spec.choices && !spec.choices.includes(v)) {
      throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')} (got "${v}")`, `see \`${where} --help\``);
    }
  }
  if (spec.int) {
    const n = Number(list[0]);
    const { min = -Infinity, max = Infinity } = spec.int;
    if (!Number.isInteger(n) || n < min || n > max) {
      const range = max === Infinity ? `at least ${min}` : `from ${min} to ${max}`;
      throw new UsageError(`--${name} must be a whole number ${range} (got "${list[0]}")`);
    }
    return n;
  }
  if (spec.number) {
    const n = Number(list[0]);
    const { min = -Infinity, max = Infinity } = spec.number;
    if (list[0]!.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      const range = max === Infinity ? `at least ${min}` : `from ${min} to ${max}`;
      throw new UsageError(`--${name} must be a number ${range} (got "${list[0]}")`, `see \`${where} --help\``);
    }
    return n;
  }
  return spec.multiple ? list : list[0];
}

function parseError(err: Error & { code?: string }, where: string, known: string[]): UsageError {
  // Node quotes the flag as '--name', '-q' or '-q, --query <value>': prefer the long name.
  const flag = /'(?:-\w, )?(--?[\w-]+)/.exec(err.message)?.[1] ?? '';
  const help = `see \`${where} --help\``;
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const guess = suggest(flag.replace(/^-+/, ''), known);
      return new UsageError(`unknown flag ${flag} for "${where}"`, guess ? `did you mean --${guess}? Or ${help}` : help);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return new UsageError(
        err.message.includes('argument missing') ? `flag ${flag} needs a value` : `flag ${flag} does not take a value`,
        help,
      );
    default:
      return new UsageError(err.message, help);
  }
}

/** The closest name within two edits, or one that starts with the input. */
export function suggest(input: string, names: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = name.startsWith(input) && input.length >= 2 ? 0 : distance(input, name);
    if (d <= 2 && (!best || d < best.d)) best = { name, d };
  }
  return best?.name;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
