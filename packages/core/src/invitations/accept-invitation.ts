import { hashPassword, hashToken } from '@roster/auth';
import { Invitation, User } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreDeps } from '../deps.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import { admitCredentialAttempt } from '../throttle/guard.ts';
import { assertPasswordPolicy } from '../settings/password-policy.ts';
import { toAdminUser, type AdminUserDto } from '../users/dto.ts';
import { getSettings } from '../settings/instance-settings.ts';
import { gibToBytes, mapUniqueViolation } from '../users/fields.ts';
import { findOpenInvitation } from './invitation-token.ts';
import { assertInvitationStands } from './invitation-standing.ts';

export interface AcceptInvitationInput {
  token: string;
  name: string;
  password: string;
}

/**
 * Creates the invited account. The token is checked before any password work
 * (junk tokens cost no Argon2), then claimed by a conditional update on its
 * hash in the same transaction as the new user: of concurrent accepts only
 * one matches the row, a link replaced by a resend meanwhile matches none,
 * and a failed user insert leaves the invitation open.
 */
export async function acceptInvitation(deps: CoreDeps, input: AcceptInvitationInput): Promise<AdminUserDto> {
  await admitCredentialAttempt(deps, null);
  const now = deps.clock.now();
  const tokenHash = await hashToken(input.token);
  const inv = await findOpenInvitation(deps.em, tokenHash, now);
  await assertInvitationStands(deps, inv);
  await assertPasswordPolicy(deps, input.password);
  const passwordHash = await hashPassword(input.password);
  // The quota is the instance default when the account is made, not when the invitation was sent.
  const { defaultQuotaGiB } = await getSettings(deps);
  try {
    const user = await deps.em.transactional(async (em) => {
      const claimed = await em.nativeUpdate(
        Invitation,
        { tokenHash, acceptedAt: null, revokedAt: null, expiresAt: { $gt: now } },
        { acceptedAt: now },
      );
      if (!claimed) throw new AppError('TOKEN_INVALID');
      const u = em.create(User, {
        email: inv.email,
        name: input.name,
        role: inv.role,
        status: 'active',
        passwordHash,
        mustChangePassword: false,
        quotaBytes: gibToBytes(defaultQuotaGiB),
      });
      recordAudit(em, {
        actorId: u.id,
        action: 'invitation.accept',
        targetId: u.id,
        details: { invitationId: inv.id, role: inv.role, quotaGiB: defaultQuotaGiB },
      });
      return u;
    });
    return toAdminUser(user, deps.clock.now());
  } catch (err) {
    if (isUniqueViolation(err)) mapUniqueViolation(err);
    throw err;
  }
}
