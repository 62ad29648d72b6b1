import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword, type IssuedSession, type SessionMeta } from '@roster/auth';
import { User } from '@roster/db';
import { recordAuditNow } from '../audit/record-audit.ts';
import type { CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { admitCredentialAttempt } from '../throttle/guard.ts';

/**
 * Checks credentials and opens a session. Unknown email and wrong password
 * are one error and cost the same time, so sign-in reveals no accounts.
 * Account state is told only to someone who knows the password. The
 * brute-force limiter runs first, keyed by the email as typed, so a held
 * account (or address) costs no hash and tells nothing either.
 */
export async function signIn(
  deps: CoreDeps,
  input: { email: string; password: string },
  meta: SessionMeta,
): Promise<IssuedSession & { userId: string }> {
  const email = input.email.toLowerCase();
  const attempt = await admitCredentialAttempt(deps, email);
  const user = await deps.em.findOne(User, { email }, { populate: ['passwordHash'] });
  // A service account signs in with its API keys only, even if someone set it a password.
  if (!user?.passwordHash || user.role === 'service') {
    await burnPasswordCheck(input.password);
    await auditSignIn(deps, 'auth.signInFailed', user?.id ?? null, email, meta);
    throw new AppError('INVALID_CREDENTIALS');
  }
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await auditSignIn(deps, 'auth.signInFailed', user.id, email, meta);
    throw new AppError('INVALID_CREDENTIALS');
  }
  await attempt.confirm();
  await upgradeHash(deps, user, input.password);
  await liftExpiredSuspension(deps, user);
  if (user.status === 'deleted') throw new AppError('ACCOUNT_DELETED');
  if (user.status === 'suspended') throw new AppError('ACCOUNT_SUSPENDED');
  const { session, token } = await deps.sessions.create(user.id, meta);
  await auditSignIn(deps, 'auth.signIn', user.id, email, meta);
  return { session, token, userId: user.id };
}

/** Sign-ins, good and bad, with where they came from; written on their own, as a failed one ends the request. */
async function auditSignIn(deps: CoreDeps, action: 'auth.signIn' | 'auth.signInFailed', userId: string | null, email: string, meta: SessionMeta) {
  await recordAuditNow(deps.em, {
    actorId: action === 'auth.signIn' ? userId : null,
    action,
    targetId: userId,
    // The email as typed (an unknown one has no user to point at); the password never.
    details: { email: email.slice(0, 254) },
    ip: meta.ip,
    userAgent: meta.userAgent,
  });
}

/**
 * An imported bcrypt or older Argon2 hash, just verified, is replaced by
 * Roster's Argon2id: the migration needs no password reset, and the old
 * hash does not outlive the first sign-in.
 */
async function upgradeHash(deps: CoreDeps, user: User, password: string): Promise<void> {
  if (!user.passwordHash || !needsRehash(user.passwordHash)) return;
  user.passwordHash = await hashPassword(password);
  await deps.em.flush();
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
