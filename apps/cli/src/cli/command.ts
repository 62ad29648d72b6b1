import type { RunContext } from './context.ts';

/** One flag as the command declares it; the parser validates `choices` and `int` before any request. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Repeatable (`--role admin --role user`); comma-separated values are split too. */
  multiple?: boolean;
  /** Placeholder in help, e.g. EMAIL. */
  value?: string;
  description: string;
  choices?: readonly string[];
  int?: { min?: number; max?: number };
  /** A decimal number in this range, e.g. a quota in GiB (0.5). */
  number?: { min?: number; max?: number };
}

export type Flags = Record<string, FlagSpec>;

/** The parsed value of each flag, typed from its spec. */
export type FlagValues<F extends Flags> = {
  [K in keyof F]: F[K]['type'] extends 'boolean'
    ? boolean
    : F[K]['multiple'] extends true
      ? string[]
      : F[K]['int'] extends object
        ? number | undefined
        : F[K]['number'] extends object
          ? number | undefined
          : string | undefined;
};

export interface ArgSpec {
  name: string;
  description: string;
  required?: boolean;
  /** Takes every remaining argument (only the last one may). */
  variadic?: boolean;
}

export interface Command<F extends Flags = Flags, R = unknown> {
  kind: 'command';
  name: string;
  summary: string;
  /** Extra paragraphs for --help. */
  description?: string;
  args?: readonly ArgSpec[];
  flags: F;
  examples: readonly string[];
  /** Does the work and returns the data that --json prints as is. */
  run(ctx: RunContext, input: { flags: FlagValues<F>; args: string[] }): Promise<R>;
  /** Human rendering of what `run` returned; without it, --json style output is printed. */
  human?(data: R, ctx: RunContext, input: { flags: FlagValues<F>; args: string[] }): string;
  /** The exit status after printing, for commands whose answer is also a yes/no (`permissions check --exit-code`); default 0. */
  exitCode?(data: R, ctx: RunContext, input: { flags: FlagValues<F>; args: string[] }): number;
}

export interface Group {
  kind: 'group';
  name: string;
  summary: string;
  children: readonly Node[];
  examples: readonly string[];
  /** The child that runs when the group is called without a command, e.g. `roster me` → `roster me get`. */
  default?: string;
}

// Any flags and result: a command's `human(data: R)` makes Command<F, R> invariant in R, so no narrower type holds them all.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Node = Command<any, any> | Group;

/** Keeps each flag's literal type, so `run` and `human` see typed values. */
export function defineCommand<const F extends Flags, R>(c: Omit<Command<F, R>, 'kind'>): Command<F, R> {
  return { kind: 'command', ...c };
}

export function defineGroup(g: Omit<Group, 'kind'>): Group {
  return { kind: 'group', ...g };
}
