import fs from 'node:fs';
import { TRPCClientError } from '@trpc/client';
import { defineCommand } from '../cli/command.ts';
import { CliError, UsageError } from '../cli/errors.ts';

/**
 * The escape hatch: any procedure of the router by its dotted name, before
 * (or instead of) a dedicated command. Output is the procedure's JSON.
 */
export const call = defineCommand({
  name: 'call',
  summary: 'Call any API procedure by name and print its JSON result',
  description:
    'Input comes from --input (JSON, @file or - for stdin) and from -F key=value fields, which override it.\n' +
    '-F parses numbers, true/false/null and JSON arrays or objects; -f always sends a string. Dotted keys nest.\n' +
    'Queries and mutations are both handled: a query is tried first, and the server refuses a mutation by GET before running it.',
  args: [{ name: 'procedure', description: 'Dotted procedure path, e.g. admin.users.list', required: true }],
  flags: {
    input: { type: 'string', short: 'i', value: 'JSON', description: 'The whole input: JSON text, @file.json, or - to read stdin' },
    field: { type: 'string', short: 'F', multiple: true, value: 'KEY=VALUE', description: 'One input field, typed' },
    'raw-field': { type: 'string', short: 'f', multiple: true, value: 'KEY=VALUE', description: 'One input field, always a string' },
    mutation: { type: 'boolean', short: 'm', description: 'Send as a mutation without trying a query first (large inputs)' },
  },
  examples: [
    'roster call setup.status',
    'roster call auth.me',
    'roster call admin.users.list -F page=2 -F pageSize=50 -f query=olga',
    'roster call admin.users.list -F roles=\'["admin","owner"]\'',
    'echo \'{"query":"olga"}\' | roster call admin.users.list --input -',
  ],
  async run(ctx, { flags, args }) {
    const path = args[0]!;
    if (!/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/.test(path)) throw new UsageError(`"${path}" is not a procedure name`, 'names look like admin.users.list');
    let input = flags.input === undefined ? undefined : readInput(flags.input);
    const fields = [...flags.field.map((f) => [f, true] as const), ...flags['raw-field'].map((f) => [f, false] as const)];
    for (const [field, typed] of fields) input = setField(input, field, typed);
    const api = ctx.untypedApi();
    try {
      if (flags.mutation) return await api.mutation(path, input);
      return await api.query(path, input).catch((err: unknown) => {
        if (serverCode(err) === 'METHOD_NOT_SUPPORTED') return api.mutation(path, input);
        throw err;
      });
    } catch (err) {
      if (serverCode(err) === 'NOT_FOUND' && (err as Error).message.startsWith('No procedure found')) {
        throw new CliError('NOT_FOUND', `this server has no procedure "${path}"`, 'check the name; procedure paths look like admin.users.list');
      }
      throw err;
    }
  },
});

const serverCode = (err: unknown) => (err instanceof TRPCClientError ? (err.data as { code?: string } | undefined)?.code : undefined);

function readInput(source: string): unknown {
  const text = source === '-' ? fs.readFileSync(0, 'utf8') : source.startsWith('@') ? readFile(source.slice(1)) : source;
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--input is not valid JSON${source === '-' || source.startsWith('@') ? ` (from ${source})` : ''}`);
  }
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** `a.b=1` sets input.a.b; typed values follow `gh api -F`: numbers, booleans, null, JSON. */
function setField(input: unknown, field: string, typed: boolean): Record<string, unknown> {
  const eq = field.indexOf('=');
  if (eq < 1) throw new UsageError(`field "${field}" must look like key=value`);
  const keys = field.slice(0, eq).split('.');
  const raw = field.slice(eq + 1);
  const root: Record<string, unknown> = input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  let target = root;
  for (const key of keys.slice(0, -1)) {
    const next = target[key];
    target = target[key] = next && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
  }
  target[keys.at(-1)!] = typed ? typedValue(raw) : raw;
  return root;
}

function typedValue(raw: string): unknown {
  if (/^(true|false|null)$/.test(raw) || /^-?\d+(\.\d+)?$/.test(raw) || /^[[{"]/.test(raw)) {
    try {
      return JSON.parse(raw);
    } catch {
      throw new UsageError(`field value is not valid JSON: ${raw}`);
    }
  }
  return raw;
}
