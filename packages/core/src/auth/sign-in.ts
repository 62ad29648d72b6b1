import { burnPasswordCheck, verifyPassword, type IssuedSession, type SessionMeta } from '@roster/auth';
import { User } from '@roster/db';
import type { CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';

/**
 * Checks credentials and opens a session. Unknown email and wrong password
 * are one error and cost the same time, so sign-in reveals no accounts.
 * Account state is told only to someone who knows the password.
 */
export async function signIn(
  deps: CoreDeps,
  input: { email: string; password: string },
  meta: SessionMeta,
): Promise<IssuedSession & { userId: string }> {
  const user = await deps.em.findOne(User, { email: input.email.toLowerCase() }, { populate: ['passwordHash'] });
  if (!user?.passwordHash) {
    await burnPasswordCheck(input.password);
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) throw new AppError('INVALID_CREDENTIALS');
  await liftExpiredSuspension(deps, user);
  if (user.status === 'deleted') throw new AppError('ACCOUNT_DELETED');
  if (user.status === 'suspended') throw new AppError('ACCOUNT_SUSPENDED');
  const { session, token } = await deps.sessions.create(user.id, meta);
  return { session, token, userId: user.id };
}

/** A suspension with an end date ends by itself: the first sign-in after it lifts it. */
async function liftExpiredSuspension(deps: CoreDeps, user: User): Promise<void> {
  if (user.status !== 'suspended' || !user.suspendedUntil) return;
  if (new Date(user.suspendedUntil) > deps.clock.now()) return;
  user.status = 'active';
  user.suspendedReason = null;
  user.suspendedUntil = null;
  await deps.em.flush();
}
