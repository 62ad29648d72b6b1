/** Keys whose values never reach the audit log: passwords, hashes, tokens, secrets. */
const SECRET = /pass(word)?|hash|token|secret|api.?key/i;
export const REDACTED = '[redacted]';

/** A copy of `value` with every secret-named key's value replaced (any depth); flags and counts under such keys stay. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET.test(k) && (typeof v === 'string' || (typeof v === 'object' && v !== null)) ? REDACTED : redactSecrets(v, depth + 1);
  return out;
}
