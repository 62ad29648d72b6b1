import { GLOBAL_FLAGS } from './args.ts';
import type { Flags, Node } from './command.ts';
import type { Style } from './output.ts';

const ENVIRONMENT: [string, string][] = [
  ['ROSTER_URL', 'server URL, used when --url is not given'],
  ['ROSTER_TOKEN', 'session token to use instead of the saved one'],
  ['ROSTER_API_KEY', 'API key to use instead of the saved session'],
  ['ROSTER_PROFILE', 'config profile, used when --profile is not given'],
  ['XDG_CONFIG_HOME', 'config lives in $XDG_CONFIG_HOME/roster/config.json (default ~/.config)'],
  ['NO_COLOR', 'set to turn colours off'],
];

function rows(pairs: [string, string][]): string[] {
  const w = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`);
}

function flagRows(flags: Flags): string[] {
  return rows(
    Object.entries(flags).map(([name, f]) => {
      const value = f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : '';
      const label = `${f.short ? `-${f.short}, ` : '    '}--${name}${value}`;
      const choices = f.choices ? ` (${f.choices.join('|')})` : '';
      const repeat = f.multiple ? '; repeat or comma-separate' : '';
      return [label, `${f.description}${choices}${repeat}`];
    }),
  );
}

function section(style: Style, title: string, lines: string[]): string[] {
  return lines.length ? ['', style.bold(title), ...lines] : [];
}

/** Help for any level: the root, a noun (group) or a verb (command). */
export function renderHelp(node: Node, path: string[], style: Style): string {
  const where = ['roster', ...path].join(' ');
  const out: string[] = [];
  if (node.kind === 'group') {
    out.push(path.length ? `${node.summary}.` : `roster: ${node.summary}.`);
    out.push(...section(style, 'Usage', [`  ${where} ${node.default ? '[command]' : '<command>'} [flags]`, ...(path.length ? [] : ['  roster <noun> <verb> [args] [flags]'])]));
    const groups = node.children.filter((c) => c.kind === 'group');
    const commands = node.children.filter((c) => c.kind === 'command');
    out.push(
      ...section(
        style,
        'Commands',
        rows(commands.map((c) => [c.name, `${c.summary}${c.name === node.default ? ' (the default)' : ''}`])),
      ),
    );
    out.push(...section(style, 'Nouns', rows(groups.map((c) => [c.name, c.summary]))));
    out.push(...section(style, 'Global flags', flagRows(GLOBAL_FLAGS)));
    if (!path.length) out.push(...section(style, 'Environment', rows(ENVIRONMENT)));
  } else {
    const args = (node.args ?? [])
      .map((a) => `${a.required ? ` <${a.name}>` : ` [${a.name}]`}${a.variadic ? '...' : ''}`)
      .join('');
    out.push(`${node.summary}.`);
    if (node.description) out.push('', node.description);
    out.push(...section(style, 'Usage', [`  ${where}${args} [flags]`]));
    out.push(...section(style, 'Arguments', rows((node.args ?? []).map((a) => [a.name, a.description]))));
    out.push(...section(style, 'Flags', flagRows(node.flags)));
    out.push(...section(style, 'Global flags', flagRows(GLOBAL_FLAGS)));
  }
  out.push(...section(style, 'Examples', node.examples.map((e) => `  $ ${e}`)));
  if (node.kind === 'group') out.push('', `Run \`${where} <command> --help\` for more about a command.`);
  return out.join('\n') + '\n';
}
