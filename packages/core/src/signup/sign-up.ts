import { hashPassword } from '@roster/auth';
import { User } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { CoreDeps } from '../deps.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import { admitCredentialAttempt } from '../throttle/guard.ts';
import { getSettings } from '../settings/instance-settings.ts';
import { assertPasswordPolicy } from '../settings/password-policy.ts';
import { toAdminUser, type AdminUserDto } from '../users/dto.ts';
import { assertEmailFree, gibToBytes, mapUniqueViolation } from '../users/fields.ts';

export interface SignUpInput {
  email: string;
  name: string;
  password: string;
}

/**
 * Self-registration, only while the instance allows it. The new account gets
 * the instance's default role, `pending` unless changed, so an admin approves
 * it by making it a `user`, and the instance's default quota.
 */
export async function signUp(deps: CoreDeps, input: SignUpInput): Promise<AdminUserDto> {
  const settings = await getSettings(deps);
  if (!settings.signupEnabled) throw new AppError('SIGNUP_DISABLED');
  await admitCredentialAttempt(deps, null);
  await assertPasswordPolicy(deps, input.password);
  await assertEmailFree(deps.em, input.email);
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await deps.em.transactional(async (em) => {
      const u = em.create(User, {
        email: input.email.toLowerCase(),
        name: input.name,
        role: settings.defaultRole,
        status: 'active',
        passwordHash,
        mustChangePassword: false,
        quotaBytes: gibToBytes(settings.defaultQuotaGiB),
      });
      recordAudit(em, {
        actorId: u.id,
        action: 'user.signUp',
        targetId: u.id,
        details: { role: settings.defaultRole, quotaGiB: settings.defaultQuotaGiB },
      });
      return u;
    });
    return toAdminUser(user, deps.clock.now());
  } catch (err) {
    // Two sign-ups with one address at once: the unique index decides, the loser gets EMAIL_TAKEN.
    if (isUniqueViolation(err)) mapUniqueViolation(err);
    throw err;
  }
}
