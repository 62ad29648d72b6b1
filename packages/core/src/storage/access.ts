import type { Actor } from '../deps.ts';
import { AppError } from '../errors.ts';
import { hasScope } from '../permissions/scopes.ts';

/**
 * Who may touch whose files, for the router and the HTTP endpoints alike:
 * the same gates as signed-in procedures, then own files, or any user's with
 * `files:manage`. Returns the owner id the operation acts on.
 */
export function fileOwnerFor(actor: Actor | null, requestedOwnerId?: string | null): string {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (actor.status !== 'active') throw new AppError('UNAUTHENTICATED');
  if (actor.role === 'pending') throw new AppError('PENDING_APPROVAL');
  if (actor.mustChangePassword) throw new AppError('PASSWORD_CHANGE_REQUIRED');
  const ownerId = requestedOwnerId ?? actor.id;
  if (ownerId !== actor.id && !hasScope(actor, 'files:manage')) throw new AppError('FORBIDDEN');
  return ownerId;
}

/** For a file that exists: its owner, or someone with `files:manage`. Others get NOT_FOUND, so ids do not leak. */
export function assertMayAccessFile(actor: Actor | null, ownerId: string): void {
  fileOwnerFor(actor);
  if (actor!.id !== ownerId && !hasScope(actor!, 'files:manage')) throw new AppError('NOT_FOUND');
}
