import type { Throttle } from '../throttle/port.ts';

/** Calls one key may make per minute, across every web process (Redis); a service needing more uses several keys. */
export const API_KEY_CALLS_PER_MINUTE = 1200;
const MINUTE = 60_000;

/**
 * Counts one request made with an API key (identified by its secret's hash,
 * so the count runs beside the PostgreSQL lookup instead of after it) and
 * returns 0, or the wait once the key is past its limit. Fails open when
 * Redis is unreachable, like the sign-in limiter: the key is still checked
 * in PostgreSQL, the limit only shapes load.
 */
export async function countApiKeyRequest(throttle: Throttle | undefined, keyRef: string, perMinute = API_KEY_CALLS_PER_MINUTE): Promise<number> {
  if (!throttle?.countUse) return 0;
  try {
    return await throttle.countUse(`apiKey:${keyRef}`, perMinute, MINUTE);
  } catch (err) {
    warnFailOpen(err);
    return 0;
  }
}

let lastWarning = 0;
function warnFailOpen(err: unknown): void {
  const now = Date.now();
  if (now - lastWarning < MINUTE) return;
  lastWarning = now;
  console.warn(`API key rate limiter unavailable, letting calls through: ${(err as Error)?.message ?? err}`);
}
