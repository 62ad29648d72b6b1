/**
 * Malformed inputs for the router fuzz test, generated from each procedure's
 * zod schema: a plausible value built from the schema, then that value with
 * one part (or the whole) swapped for something hostile. Seeded, so a
 * failure names an input that can be replayed.
 */
import { randomUUID } from 'node:crypto';

/** mulberry32: small, seeded, good enough to pick cases. */
export function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function deep(depth: number, leaf: unknown, kind: 'object' | 'array'): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = kind === 'object' ? { a: v } : [v];
  return v;
}

/** Built once and shared: nothing on the server side mutates an input. */
const once = <T>(make: () => T) => {
  let v: T | undefined;
  let made = false;
  return () => (made ? v : ((made = true), (v = make()))) as T;
};

/** Hostile values, each with a name for the failure report. */
export const HOSTILE: [name: string, value: () => unknown][] = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['zero', () => 0],
  ['negative', () => -1],
  ['huge number', () => 1e308],
  ['NaN', () => Number.NaN],
  ['Infinity', () => Number.POSITIVE_INFINITY],
  ['true', () => true],
  ['empty string', () => ''],
  ['1 MB string', once(() => 'x'.repeat(1 << 20))],
  ['NUL', () => 'a\u0000b'],
  ['lone surrogate', () => 'a\ud800b'],
  ['unicode soup', () => '\u202eevil\uffff\ud83d\ude00\u0301\u200b\ufeff'],
  ['empty array', () => []],
  ['array of junk', () => [1, 'a', null, {}]],
  ['empty object', () => ({})],
  ['object deep 10000', once(() => deep(10_000, 'x', 'object'))],
  ['array deep 10000', once(() => deep(10_000, 1, 'array'))],
  ['__proto__ key', () => JSON.parse('{"__proto__":{"role":"owner"},"constructor":{"prototype":{"x":1}}}')],
  ['date', () => new Date(0)],
];

/** A small, well-formed JSON value of the given depth, for JSON-typed fields. */
const jsonDeep = (n: number) => deep(n, 'x', 'object');

interface Def {
  type: string;
  format?: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  innerType?: { _zod: { def: Def } };
  in?: { _zod: { def: Def } };
  element?: { _zod: { def: Def } };
  options?: { _zod: { def: Def } }[];
  entries?: Record<string, string>;
  values?: unknown[];
  valueType?: { _zod: { def: Def } };
  checks?: { _zod: { def: { check: string; minimum?: number; value?: number } } }[];
}

export const defOf = (schema: unknown): Def | undefined => (schema as { _zod?: { def: Def } } | undefined)?._zod?.def;

/** A value the schema would probably accept, so one hostile part is what the server sees. */
export function plausible(def: Def | undefined, depth = 0): unknown {
  if (!def || depth > 8) return undefined;
  switch (def.type) {
    case 'string': {
      if (def.format === 'email') return `fuzz-${randomUUID().slice(0, 8)}@example.com`;
      if (def.format === 'uuid' || def.format === 'guid') return randomUUID();
      if (def.format === 'url') return 'https://example.com/a.png';
      if (def.format === 'datetime') return new Date(Date.now() + 3_600_000).toISOString();
      const min = def.checks?.map((c) => c._zod.def).find((c) => c.check === 'min_length')?.minimum ?? 0;
      return 'fuzz value '.padEnd(Math.max(min, 12), 'z');
    }
    case 'number':
    case 'int':
      return 1;
    case 'boolean':
      return true;
    case 'date':
      return new Date();
    case 'enum':
      return Object.values(def.entries ?? {})[0];
    case 'literal':
      return def.values?.[0];
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return plausible(defOf(def.innerType), depth + 1);
    case 'pipe':
      return plausible(defOf(def.in), depth + 1);
    case 'object':
      return Object.fromEntries(Object.entries(def.shape ?? {}).map(([k, v]) => [k, plausible(defOf(v), depth + 1)]));
    case 'array':
      return [plausible(defOf(def.element), depth + 1)];
    case 'union':
      return plausible(defOf(def.options?.[0]), depth + 1);
    case 'record':
      return { fuzz: 'value' };
    default:
      return undefined;
  }
}

const NO_INPUT_CASES = new Set(['input = undefined', 'input = null', 'input = 1 MB string', 'input = NUL', 'input = object deep 10000']);

export interface Case {
  name: string;
  input: () => unknown;
}

/**
 * The cases for one schema: the whole input hostile; the plausible value;
 * it with extra keys; and, for each key of an object, that key missing or
 * swapped for a few hostile values (picked by `random`). JSON-valued inputs
 * also get well-formed but deep and wide documents.
 */
export function casesFor(schema: unknown, random: () => number, perKey = 3): Case[] {
  const def = defOf(schema);
  const cases: Case[] = HOSTILE.map(([name, value]) => ({ name: `input = ${name}`, input: value }));
  // No input to parse: a few values show it is ignored (or refused) safely.
  if (!def) return cases.filter((c) => NO_INPUT_CASES.has(c.name));
  cases.push({ name: 'plausible', input: () => plausible(def) });
  if (def.type === 'record') {
    cases.push({ name: 'record value = deep JSON 200', input: () => ({ k: jsonDeep(200) }) });
    cases.push({ name: 'record value = deep JSON 5000', input: once(() => ({ k: jsonDeep(5000) })) });
    cases.push({ name: 'record of 20000 keys', input: once(() => Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]))) });
    cases.push({ name: 'record value with NUL', input: () => ({ k: 'a\u0000b' }) });
    cases.push({ name: 'record value with lone surrogate', input: () => ({ k: 'a\udc00' }) });
    cases.push({ name: 'record key with NUL', input: () => ({ 'a\u0000': 1 }) });
  }
  const obj = def.type === 'object' ? def : def.type === 'pipe' && defOf(def.in)?.type === 'object' ? defOf(def.in) : undefined;
  if (obj?.shape) {
    cases.push({ name: 'plausible + extra keys', input: () => ({ ...(plausible(obj) as object), role: 'owner', isAdmin: true, id: randomUUID(), ['__proto__']: { x: 1 } }) });
    for (const key of Object.keys(obj.shape)) {
      cases.push({
        name: `${key} missing`,
        input: () => {
          const v = plausible(obj) as Record<string, unknown>;
          delete v[key];
          return v;
        },
      });
      const picks = [...HOSTILE].sort(() => random() - 0.5).slice(0, perKey);
      // NUL and lone surrogates in every field: the cases most likely to reach the database.
      for (const must of ['NUL', 'lone surrogate']) if (!picks.some(([n]) => n === must)) picks.push(HOSTILE.find(([n]) => n === must)!);
      for (const [name, value] of picks) {
        cases.push({ name: `${key} = ${name}`, input: () => ({ ...(plausible(obj) as object), [key]: value() }) });
      }
    }
  }
  return cases;
}
