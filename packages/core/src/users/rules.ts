import type { User } from '@roster/db';
import type { Actor } from '../deps.ts';
import { AppError } from '../errors.ts';
import type { InstanceSettings } from '../settings/instance-settings.ts';

/** Actions an admin takes on another account, with the protections each one has. */
export type UserAction = 'update' | 'changeRole' | 'changeCredentials' | 'suspend' | 'delete' | 'resetPassword' | 'revokeSessions';

const SELF_FORBIDDEN: UserAction[] = ['suspend', 'delete'];

/**
 * The owner is protected: only the owner edits their own email, password or
 * role, and nobody suspends or deletes them. Nobody suspends or deletes
 * themselves through admin procedures.
 */
export function assertMayAct(actor: Actor, target: Pick<User, 'id' | 'role'>, action: UserAction): void {
  if (actor.id === target.id && SELF_FORBIDDEN.includes(action)) throw new AppError('SELF_ACTION');
  if (target.role !== 'owner') return;
  if (action === 'suspend' || action === 'delete') throw new AppError('OWNER_PROTECTED');
  if (action === 'changeRole') throw new AppError('OWNER_PROTECTED', 'The owner keeps their role; transfer ownership instead');
  if (actor.id !== target.id && action !== 'update')
    throw new AppError('OWNER_PROTECTED');
}

/** Making or unmaking an admin is the owner's call, unless the instance lets admins do it too. */
export function assertMayGrantRole(
  actor: Actor,
  from: User['role'] | null,
  to: User['role'],
  settings: Pick<InstanceSettings, 'adminsCanCreateAdmins'>,
): void {
  if (to === 'owner') throw new AppError('OWNER_PROTECTED', 'Ownership moves only by transfer');
  const touchesAdmin = to === 'admin' || from === 'admin';
  if (touchesAdmin && from !== to && actor.role !== 'owner' && !settings.adminsCanCreateAdmins)
    throw new AppError('FORBIDDEN', 'Only the owner can grant or remove the admin role');
}
