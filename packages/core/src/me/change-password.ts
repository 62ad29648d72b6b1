import { hashPassword, verifyPassword } from '@roster/auth';
import { User } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { admitCredentialAttempt } from '../throttle/guard.ts';
import { assertPasswordPolicy } from '../settings/password-policy.ts';
import { toAdminUser, type AdminUserDto } from '../users/dto.ts';

/**
 * The user proves the current password and picks a new one. Every other
 * session ends (a stolen session must not outlive the change); the one
 * making the change stays signed in.
 */
export async function changePassword(
  deps: CoreDeps,
  actor: Actor,
  currentSessionId: string,
  input: { current: string; next: string },
): Promise<AdminUserDto> {
  // A stolen session guessing the password counts against the account like sign-in guesses.
  const attempt = await admitCredentialAttempt(deps, actor.email);
  const found = await deps.em.findOneOrFail(User, actor.id, { populate: ['passwordHash'] });
  if (!found.passwordHash || !(await verifyPassword(found.passwordHash, input.current)))
    throw new AppError('WRONG_PASSWORD', undefined, { current: ['The current password is incorrect'] });
  await attempt.confirm();
  if (input.next === input.current) {
    const msg = 'Choose a password different from the current one';
    throw new AppError('VALIDATION', msg, { next: [msg] });
  }
  await assertPasswordPolicy(deps, input.next, 'next');
  const passwordHash = await hashPassword(input.next);
  const user = await deps.em.transactional(async (em) => {
    const u = await em.findOneOrFail(User, actor.id);
    u.passwordHash = passwordHash;
    u.mustChangePassword = false;
    recordAudit(em, { actorId: actor.id, action: 'user.changePassword', targetId: actor.id });
    await em.execute(`delete from sessions where user_id = ? and id <> ?`, [actor.id, currentSessionId]);
    return u;
  });
  return toAdminUser(user, deps.clock.now());
}
