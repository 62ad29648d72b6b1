import { User } from '@roster/db';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { hasScope } from '../permissions/scopes.ts';
import { checkMayAct } from '../users/rules.ts';

/**
 * Who may touch whose files, for the router and the HTTP endpoints alike:
 * the same gates as signed-in procedures, then own files, or any user's with
 * `files:manage`. Returns the owner id the operation acts on. Synchronous, so
 * endpoints can refuse before reading a body; fileOwnerForTarget adds the
 * rules about the target (the owner's files are nobody else's).
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

/** fileOwnerFor, then the rules on the target user (`files` action): the owner's files → OWNER_PROTECTED. */
export async function fileOwnerForTarget(deps: Pick<CoreDeps, 'em'>, actor: Actor | null, requestedOwnerId?: string | null): Promise<string> {
  const ownerId = fileOwnerFor(actor, requestedOwnerId);
  if (ownerId === actor!.id) return ownerId;
  const target = await deps.em.findOne(User, ownerId, { fields: ['id', 'role'] });
  // An unknown id is left to the operation (an empty list, USER_NOT_FOUND for usage and uploads).
  if (target) await checkMayAct(deps, actor!, target, 'files');
  return ownerId;
}

/**
 * For a file that exists: its owner, or someone with `files:manage` unless
 * the file is the owner's. Others get NOT_FOUND, so ids do not leak.
 */
export function assertMayAccessFile(actor: Actor | null, ownerId: string, ownerRole: User['role']): void {
  fileOwnerFor(actor);
  if (actor!.id === ownerId) return;
  if (!hasScope(actor!, 'files:manage') || (ownerRole === 'owner' && actor!.role !== 'owner')) throw new AppError('NOT_FOUND');
}
