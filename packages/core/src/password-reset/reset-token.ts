import { PasswordResetToken, type EntityManager } from '@roster/db';
import { AppError } from '../errors.ts';

export const RESET_LINK_TTL_HOURS = 24;

export const resetPath = (token: string) => `/reset/${token}`;

/**
 * The unused, unexpired link a token's hash names, for an active account.
 * Suspended and deleted accounts' links do not work; every failure is the
 * same TOKEN_INVALID, so the page reveals nothing about the account.
 */
export async function findUsableResetToken(em: EntityManager, tokenHash: string, now: Date): Promise<PasswordResetToken> {
  const row = await em.findOne(
    PasswordResetToken,
    { tokenHash, usedAt: null, expiresAt: { $gt: now }, user: { status: 'active' } },
    { populate: ['user'] },
  );
  if (!row) throw new AppError('TOKEN_INVALID');
  return row;
}
