import { AppError, RateLimitedError, type KeyScope } from '@roster/core';
import type { Context } from './context.ts';
import type { Meta } from './trpc.ts';

/** What every key may call whatever its scopes: who am I. */
const ALWAYS = new Set(['auth.me']);

/** The key scope a procedure needs, or null when no key may call it. `me` covers every procedure on the caller's own data. */
export function keyScopeFor(meta: Meta | undefined, path: string): KeyScope | 'any' | null {
  if (!meta || meta.noApiKey) return null;
  if (ALWAYS.has(path)) return 'any';
  if (meta.access === 'public') return null;
  if (meta.access === 'signedIn' || meta.access === 'self') return 'me';
  return meta.access.scope as KeyScope;
}

/**
 * A caller with an API key reaches only procedures whose scope the key holds
 * (its scopes already intersected with its user's, context.ts), and input
 * fields that need a further scope only with that scope too. An unknown,
 * revoked or expired key is refused everywhere with 401, public procedures
 * included; a key past its rate limit (counted per request, context.ts) gets 429.
 */
export async function checkApiKey(
  ctx: Pick<Context, 'apiKey' | 'apiKeyInvalid'>,
  meta: Meta | undefined,
  path: string,
  getRawInput: () => Promise<unknown>,
): Promise<void> {
  if (ctx.apiKeyInvalid) throw new AppError('UNAUTHENTICATED', 'This API key is unknown, revoked or expired');
  const key = ctx.apiKey;
  if (!key) return;
  const needed = keyScopeFor(meta, path);
  if (needed === null) throw new AppError('API_KEY_FORBIDDEN', `An API key cannot call ${path}`);
  if (needed !== 'any' && !key.scopes.includes(needed)) throw new AppError('API_KEY_FORBIDDEN', `This API key lacks the scope ${needed}`);
  if (meta?.fieldScopes) {
    const input = (await getRawInput()) as Record<string, unknown> | undefined;
    for (const [field, scope] of Object.entries(meta.fieldScopes)) {
      if (input?.[field] !== undefined && !key.scopes.includes(scope)) throw new AppError('API_KEY_FORBIDDEN', `This API key lacks the scope ${scope} (for ${field})`);
    }
  }
  if (key.retryAfterMs > 0) throw new RateLimitedError(key.retryAfterMs);
}
