import { hashToken } from '@roster/auth';
import type { CoreDeps } from '../deps.ts';
import { findUsableResetToken } from './reset-token.ts';

/** For the public `/reset/[token]` page: whose password it sets and until when, or TOKEN_INVALID. */
export async function readResetLink(deps: CoreDeps, token: string): Promise<{ email: string; expiresAt: string }> {
  const row = await findUsableResetToken(deps.em, await hashToken(token), deps.clock.now());
  return { email: row.user.email, expiresAt: new Date(row.expiresAt).toISOString() };
}
