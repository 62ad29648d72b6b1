import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, at any depth (cookies, credentials, tokens, secrets, API keys). */
const SECRET_KEY = /pass(word|phrase)?|secret|token|cookie|authorization|api[-_]?key|session[-_]?id|^code$/i;
const MAX_DEPTH = 6;

/** A copy of `value` with secret-named fields replaced; only objects that were logged are walked, so plain request lines cost nothing. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Error || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redactSecrets(v, depth + 1);
  return out;
}

/**
 * The JSON logger of the web process and the worker: one line per event on
 * stdout, level from LOG_LEVEL (default info), `name` telling the process.
 * Secret-named fields are redacted wherever they appear (redactSecrets).
 */
export function createLogger(name: string, opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  const level = opts.level ?? process.env.LOG_LEVEL ?? 'info';
  return pino(
    {
      name,
      level,
      base: { name },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: (obj) => redactSecrets(obj) as Record<string, unknown> },
    },
    opts.destination,
  );
}
