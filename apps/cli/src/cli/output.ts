import { stripVTControlCharacters } from 'node:util';

/**
 * Colour only for a terminal, never when NO_COLOR is set (no-color.org);
 * FORCE_COLOR turns it on for pipes, e.g. `| less -R`.
 */
export function colorEnabled(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return !!stream.isTTY && env.TERM !== 'dumb';
}

export type Paint = (s: string) => string;
export interface Style {
  bold: Paint;
  dim: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
}

const sgr = (on: number, off: number): Paint => (s) => `\x1b[${on}m${s}\x1b[${off}m`;
const plain: Paint = (s) => s;

export function makeStyle(enabled: boolean): Style {
  if (!enabled) return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) };
}

const width = (s: string) => stripVTControlCharacters(s).length;
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

export interface Column<T> {
  header: string;
  cell(row: T): string;
}

/** Left-aligned columns two spaces apart, headers dimmed; the last column is not padded. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[], style: Style): string {
  const cells = rows.map((r) => columns.map((c) => c.cell(r)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => width(row[i]!))));
  const line = (parts: string[]) =>
    parts.map((p, i) => (i === parts.length - 1 ? p : pad(p, widths[i]!))).join('  ').trimEnd();
  const header = style.dim(line(columns.map((c) => c.header)));
  return [header, ...cells.map(line)].join('\n');
}

/** `key  value` lines with the keys aligned, for one record. */
export function keyValues(pairs: readonly [string, string][], style: Style): string {
  const w = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${style.dim(pad(k, w))}  ${v}`).join('\n');
}

// Built on first use: loading ICU data costs a noticeable part of start-up.
let rtf: Intl.RelativeTimeFormat | undefined;
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
];

/** "just now", "5 minutes ago", "yesterday", "in 6 days"; a plain date past a month. */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const then = Date.parse(iso);
  let value = (then - now) / 1000;
  if (Math.abs(value) < 45) return 'just now';
  for (const [unit, size] of STEPS) {
    rtf ??= new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
    if (Math.abs(value) < size) return rtf.format(Math.round(value), unit);
    value /= size;
  }
  return new Date(then).toISOString().slice(0, 10);
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
export function bytes(n: number): string {
  let v = n;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${UNITS[i]}`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// Built on first use, like rtf above.
let roughFmt: Intl.NumberFormat[] | undefined;
/**
 * An estimated count (admin.users.list's totalEstimated) rounded so it does
 * not look exact: "about 1,200" (two significant digits below 10,000),
 * "about 185,000" (three above); the web shows the same.
 */
export function about(n: number): string {
  roughFmt ??= [2, 3].map((d) => new Intl.NumberFormat('en', { maximumSignificantDigits: d }));
  return `about ${roughFmt[n < 10_000 ? 0 : 1]!.format(n)}`;
}

/** `2026-12-02 14:05 UTC`: exact, unambiguous, for dates a person may act on. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return 'never';
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** "in 6 days", "in 3 hours", "in 12 minutes": a countdown that never turns into a date. */
export function countdown(iso: string, now = Date.now()): string {
  const ms = Date.parse(iso) - now;
  if (ms <= 0) return 'now';
  const minutes = ms / 60_000;
  if (minutes < 1) return 'in less than a minute';
  if (minutes < 90) return `in ${plural(Math.round(minutes), 'minute')}`;
  const hours = minutes / 60;
  if (hours < 36) return `in ${plural(Math.round(hours), 'hour')}`;
  return `in ${plural(Math.round(hours / 24), 'day')}`;
}

/** A usage bar like `██████░░░░ 61%`; fractions past 1 fill it and show the real percentage. */
export function bar(fraction: number | null, s: Style, width = 20): string {
  if (fraction == null) return s.dim('unlimited');
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  const paint = fraction >= 1 ? s.red : fraction >= 0.8 ? s.yellow : s.green;
  const pct = `${fraction * 100 < 10 ? (fraction * 100).toFixed(1) : Math.round(fraction * 100)}%`;
  return `${paint('█'.repeat(filled))}${s.dim('░'.repeat(width - filled))} ${pct}`;
}

/** The first line of a success message. */
export const done = (s: Style, message: string) => `${s.green('✓')} ${message}`;

/** A secret the server returns once: on stdout (it is the data), with the warning beside it. */
export function shownOnce(label: string, secret: string, s: Style): string[] {
  return [`${label}: ${s.bold(secret)}`, s.yellow('warning: this is shown only once; pass it on over a safe channel now.')];
}
