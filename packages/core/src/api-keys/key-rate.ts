import type { CoreDeps } from '../deps.ts';
import { RateLimitedError } from '../errors.ts';

/** Calls one key may make per minute, across every web process (Redis); a service needing more uses several keys. */
export const API_KEY_CALLS_PER_MINUTE = 1200;
const MINUTE = 60_000;

/**
 * Counts a call made with an API key: RATE_LIMITED (with the wait) past the
 * limit. Fails open when Redis is unreachable, like the sign-in limiter:
 * the key was already checked in PostgreSQL, the limit only shapes load.
 */
export async function admitApiKeyCall(deps: Pick<CoreDeps, 'throttle'>, keyId: string, perMinute = API_KEY_CALLS_PER_MINUTE): Promise<void> {
  const count = deps.throttle?.countUse;
  if (!count) return;
  let waitMs: number;
  try {
    waitMs = await count.call(deps.throttle, `apiKey:${keyId}`, perMinute, MINUTE);
  } catch (err) {
    warnFailOpen(err);
    return;
  }
  if (waitMs > 0) throw new RateLimitedError(waitMs);
}

let lastWarning = 0;
function warnFailOpen(err: unknown): void {
  const now = Date.now();
  if (now - lastWarning < MINUTE) return;
  lastWarning = now;
  console.warn(`API key rate limiter unavailable, letting calls through: ${(err as Error)?.message ?? err}`);
}
