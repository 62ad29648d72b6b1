import type { User } from '@roster/db';
import type { Actor } from '../deps.ts';
import { AppError } from '../errors.ts';
import { hasScope, type Scope } from '../permissions/scopes.ts';
import { allowedActions, mayGrantAdmin, type AdminPolicy } from './rules.ts';

/**
 * What a page or client offers to do to a user, one entry per button. The
 * router still checks every call; this table only keeps clients from
 * restating the rules (and drifting from them).
 */
export const OFFERED_USER_ACTIONS = [
  'edit',
  'changeRole',
  /** Make or unmake an admin (a change of role that only the owner makes unless admins may create admins). */
  'grantAdmin',
  'approve',
  'changeCredentials',
  'resetPassword',
  'readSessions',
  'revokeSessions',
  'suspend',
  'unsuspend',
  'delete',
  'restore',
  'purgeNow',
  'transferOwnership',
  'files',
  'apiKeys',
] as const;
export type OfferedUserAction = (typeof OFFERED_USER_ACTIONS)[number];

export type ActionTarget = Pick<User, 'id' | 'role' | 'status'> & { purgeStartedAt?: Date | null };

/** Deleting needs a live account (deleteUser); a deleted one is restored or purged instead. */
export function assertNotDeleted(target: Pick<User, 'status'>): void {
  if (target.status === 'deleted') throw new AppError('USER_ALREADY_DELETED');
}

/** Restore and purge-now work on a deleted account whose purge has not begun (restoreUser). */
export function assertRestorable(target: Pick<User, 'status'> & { purgeStartedAt?: Date | null }): void {
  if (target.status !== 'deleted') throw new AppError('USER_NOT_DELETED');
  if (target.purgeStartedAt) throw new AppError('PURGE_IN_PROGRESS');
}

/** Only the owner hands over ownership, never to themselves (transferOwnership, before the password check). */
export function assertMayTransferOwnership(actor: Pick<Actor, 'id' | 'role'>, targetId: string): void {
  if (actor.role !== 'owner') throw new AppError('FORBIDDEN', 'Only the owner can transfer ownership');
  if (actor.id === targetId) throw new AppError('SELF_ACTION');
}

/** The new owner signs in as a person: active, approved, not a service account (transferOwnership, under the row lock). */
export function assertMayBecomeOwner(target: Pick<User, 'role' | 'status'>): void {
  if (target.status !== 'active' || target.role === 'pending' || target.role === 'service')
    throw new AppError('VALIDATION', 'The new owner must be an active, approved user');
}

const holds = (check: () => void): boolean => {
  try {
    check();
    return true;
  } catch (err) {
    if (err instanceof AppError) return false;
    throw err;
  }
};

/**
 * The table: the rules between actor and target (rules.ts's allowedActions),
 * the scope each procedure declares, and the state each use case requires,
 * through the same predicates the use cases call.
 */
export function offeredUserActions(actor: Actor, target: ActionTarget, policy: AdminPolicy): Record<OfferedUserAction, boolean> {
  const may = allowedActions(actor, target, policy);
  const can = (scope: Scope) => hasScope(actor, scope);
  const live = target.status !== 'deleted';
  const changeRole = live && may.changeRole && can('user:update') && can('user:changeRole');
  const restorable = may.delete && can('user:delete') && holds(() => assertRestorable(target));
  return {
    edit: live && may.update && can('user:update'),
    changeRole,
    grantAdmin: changeRole && mayGrantAdmin(actor, policy),
    approve: changeRole && target.role === 'pending' && target.status === 'active',
    changeCredentials: live && may.changeCredentials && can('user:update'),
    resetPassword: live && may.resetPassword && can('user:resetPassword'),
    readSessions: live && may.readSessions && can('user:sessions'),
    revokeSessions: live && may.revokeSessions && can('user:sessions'),
    // A suspended account is re-suspended by lifting and suspending again: only an active one is offered it.
    suspend: target.status === 'active' && may.suspend && can('user:suspend'),
    unsuspend: target.status === 'suspended' && may.suspend && can('user:suspend'),
    delete: may.delete && can('user:delete') && holds(() => assertNotDeleted(target)),
    restore: restorable,
    purgeNow: restorable,
    transferOwnership:
      can('owner:transfer') && holds(() => assertMayTransferOwnership(actor, target.id)) && holds(() => assertMayBecomeOwner(target)),
    files: may.files && (actor.id === target.id || can('files:manage')),
    apiKeys: live && may.revokeSessions && can('apiKeys:manage'),
  };
}
