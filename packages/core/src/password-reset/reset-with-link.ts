import { hashPassword, hashToken } from '@roster/auth';
import { User } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { admitCredentialAttempt } from '../throttle/guard.ts';
import { assertPasswordPolicy } from '../settings/password-policy.ts';
import { findUsableResetToken } from './reset-token.ts';

/**
 * Sets a new password through a reset link. The token is checked before any
 * Argon2 work, then claimed by a conditional update in the same transaction
 * that sets the password and ends every session of the account (whoever held
 * them may be why the password was reset), so a link works once even under
 * concurrent use.
 */
export async function resetPasswordWithLink(deps: CoreDeps, input: { token: string; password: string }): Promise<{ email: string }> {
  await admitCredentialAttempt(deps, null);
  const now = deps.clock.now();
  const tokenHash = await hashToken(input.token);
  const found = await findUsableResetToken(deps.em, tokenHash, now);
  const userId = found.user.id;
  await assertPasswordPolicy(deps, input.password);
  const passwordHash = await hashPassword(input.password);
  await deps.em.transactional(async (em) => {
    const claimed = await em.execute<{ user_id: string }[]>(
      `update password_reset_tokens t set used_at = ?
         from users u
        where t.token_hash = ? and t.used_at is null and t.expires_at > ? and u.id = t.user_id and u.status = 'active'
        returning t.user_id`,
      [now, tokenHash, now],
    );
    if (!claimed[0]) throw new AppError('TOKEN_INVALID');
    await em.nativeUpdate(User, { id: userId }, { passwordHash, mustChangePassword: false, updatedAt: now });
    await em.execute(`delete from sessions where user_id = ?`, [userId]);
    recordAudit(em, { actorId: userId, action: 'user.resetPasswordByLink', targetId: userId });
  });
  return { email: found.user.email };
}
