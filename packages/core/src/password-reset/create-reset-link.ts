import { generateToken, hashToken } from '@roster/auth';
import { PasswordResetToken } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { findUserOrFail } from '../users/fields.ts';
import { checkMayAct } from '../users/rules.ts';
import { resetPath, RESET_LINK_TTL_HOURS } from './reset-token.ts';

export interface ResetLink {
  /** Shown once; only its SHA-256 is stored. */
  token: string;
  path: string;
  expiresAt: string;
}

/**
 * n8n-style: an admin hands the user a one-time link instead of a password.
 * Creating one kills the user's earlier unused links, so only the newest works.
 */
export async function createResetLink(deps: CoreDeps, actor: Actor, userId: string): Promise<ResetLink> {
  const user = await findUserOrFail(deps.em, userId);
  await checkMayAct(deps, actor, user, 'resetPassword');
  if (user.status === 'deleted') throw new AppError('USER_NOT_FOUND', 'This user is deleted');
  const token = generateToken();
  const tokenHash = await hashToken(token);
  const expiresAt = new Date(deps.clock.now().getTime() + RESET_LINK_TTL_HOURS * 3_600_000);
  await deps.em.transactional(async (em) => {
    await em.nativeDelete(PasswordResetToken, { user: user.id, usedAt: null });
    em.create(PasswordResetToken, { tokenHash, user: user.id, expiresAt });
    recordAudit(em, { actorId: actor.id, action: 'user.resetLink', targetId: user.id, details: { expiresAt: expiresAt.toISOString() } });
  });
  return { token, path: resetPath(token), expiresAt: expiresAt.toISOString() };
}
