import { generateToken, hashToken } from '@roster/auth';
import { Invitation, type EntityManager } from '@roster/db';
import { AppError } from '../errors.ts';

export const INVITATION_TTL_DAYS = 7;

/** A fresh link secret and what is stored of it; the plain token is returned to the admin once. */
export async function newInvitationToken(now: Date): Promise<{ token: string; tokenHash: string; expiresAt: Date }> {
  const token = generateToken();
  return { token, tokenHash: await hashToken(token), expiresAt: new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000) };
}

export const invitationPath = (token: string) => `/invite/${token}`;

/** The invitation a token's hash opens, if it is still open; anything else is one indistinct TOKEN_INVALID. */
export async function findOpenInvitation(em: EntityManager, tokenHash: string, now: Date): Promise<Invitation> {
  const inv = await em.findOne(Invitation, {
    tokenHash,
    acceptedAt: null,
    revokedAt: null,
    expiresAt: { $gt: now },
  });
  if (!inv) throw new AppError('TOKEN_INVALID');
  return inv;
}
