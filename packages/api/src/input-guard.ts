import { AppError } from '@roster/core';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Deeper than any input of ours; a bound so the walk below stays cheap. */
const MAX_DEPTH = 64;

/**
 * Why `input` cannot be stored, or null: PostgreSQL refuses NUL in text and
 * jsonb, and lone UTF-16 surrogates in jsonb (a DriverException, so a 500)
 * while text silently turns them into U+FFFD. Walked without recursion, over
 * keys and values alike.
 */
export function unstorable(input: unknown): { path: string; message: string } | null {
  const stack: [value: unknown, path: string, depth: number][] = [[input, '_', 0]];
  const bad = (s: string) => s.includes('\u0000') || LONE_SURROGATE.test(s);
  while (stack.length) {
    const [value, path, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (bad(value)) return { path, message: 'Contains a NUL character or an unpaired surrogate' };
      continue;
    }
    if (value === null || typeof value !== 'object' || value instanceof Date) continue;
    if (depth >= MAX_DEPTH) return { path, message: `Nested deeper than ${MAX_DEPTH} levels` };
    for (const [key, child] of Object.entries(value)) {
      const at = path === '_' ? key : `${path}.${key}`;
      if (bad(key)) return { path: at, message: 'Contains a NUL character or an unpaired surrogate' };
      stack.push([child, at, depth + 1]);
    }
  }
  return null;
}

/** Refuses such input as VALIDATION before any procedure sees it (procedures.ts calls it for every call). */
export async function refuseUnstorable(getRawInput: () => Promise<unknown>): Promise<void> {
  const problem = unstorable(await getRawInput());
  if (problem) throw new AppError('VALIDATION', `Invalid input: ${problem.path}: ${problem.message}`, { [problem.path]: [problem.message] });
}
