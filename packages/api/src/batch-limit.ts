import { AppError } from '@roster/core';

/** The most calls one HTTP request may carry (also passed to tRPC's own `maxBatchSize`). */
export const MAX_BATCH_CALLS = 10;

/** Procedures that check or set a password: at most one per HTTP request, so one POST is at most one Argon2 guess. */
export const CREDENTIAL_PROCEDURES: ReadonlySet<string> = new Set([
  'auth.signIn',
  'auth.signUp',
  'auth.resetPassword',
  'auth.acceptInvitation',
  'me.changePassword',
  'admin.users.transferOwnership',
]);

/** Why a request's calls are refused whole before any of them runs, or null when they may run. */
export function batchRefusal(paths: readonly string[]): AppError | null {
  if (paths.length > MAX_BATCH_CALLS)
    return new AppError('BATCH_TOO_LARGE', `At most ${MAX_BATCH_CALLS} calls in one request (got ${paths.length})`);
  const credential = paths.filter((p) => CREDENTIAL_PROCEDURES.has(p)).length;
  if (credential > 1)
    return new AppError('BATCH_TOO_LARGE', `At most one sign-in or password call in one request (got ${credential})`);
  return null;
}
