import type { User } from '@roster/db';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { hasScope } from '../permissions/scopes.ts';
import { getSettings, type InstanceSettings } from '../settings/instance-settings.ts';

/** Actions an admin takes on another account, with the protections each one has. */
export const USER_ACTIONS = [
  /** Profile fields: name, avatar, quota, storage label. */
  'update',
  'changeRole',
  /** Email, forcing a password change. */
  'changeCredentials',
  /** Suspend and unsuspend. */
  'suspend',
  /** Delete (scheduled or immediate), purge now, restore. */
  'delete',
  /** A generated password or a reset link. */
  'resetPassword',
  'readSessions',
  'revokeSessions',
  /** Their files through `files.*` with a user id or `?as=`. */
  'files',
] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

export type AdminPolicy = Pick<InstanceSettings, 'adminsCanCreateAdmins'>;

const SELF_FORBIDDEN: readonly UserAction[] = ['suspend', 'delete'];

/** What only the owner may do to an admin while `adminsCanCreateAdmins` is off: every way to take the account over or lock it out. */
const ADMIN_GUARDED: readonly UserAction[] = ['changeRole', 'changeCredentials', 'suspend', 'delete', 'resetPassword', 'readSessions', 'revokeSessions'];

/**
 * Who may act on whom, in one place (the scope gate comes first, in the router):
 * - nobody suspends or deletes themselves through admin procedures;
 * - the owner keeps their role (ownership moves by transfer), and nothing
 *   about the owner — profile, credentials, sessions, files — is anyone
 *   else's to read or change (their row still shows in lists and stats);
 * - an admin's credentials, role, sessions, suspension and deletion are the
 *   owner's alone unless `adminsCanCreateAdmins` is on; an admin's profile
 *   fields and files stay reachable to other admins.
 */
export function assertMayAct(actor: Actor, target: Pick<User, 'id' | 'role'>, action: UserAction, policy: AdminPolicy): void {
  if (target.role === 'owner' && action === 'changeRole')
    throw new AppError('OWNER_PROTECTED', 'The owner keeps their role; transfer ownership instead');
  if (actor.id === target.id) {
    if (SELF_FORBIDDEN.includes(action)) throw new AppError('SELF_ACTION');
    return;
  }
  if (actor.role === 'owner') return;
  if (target.role === 'owner') throw new AppError('OWNER_PROTECTED');
  if (target.role === 'admin' && ADMIN_GUARDED.includes(action) && !policy.adminsCanCreateAdmins) throw new AppError('ADMIN_PROTECTED');
}

/** Whether the policy matters for this pair, so callers read the settings only then. */
const needsPolicy = (actor: Actor, target: Pick<User, 'id' | 'role'>) =>
  actor.id !== target.id && actor.role !== 'owner' && target.role === 'admin';

/** assertMayAct with the instance settings read from the database when they matter. */
export async function checkMayAct(
  deps: Pick<CoreDeps, 'em'>,
  actor: Actor,
  target: Pick<User, 'id' | 'role'>,
  action: UserAction,
): Promise<void> {
  assertMayAct(actor, target, action, needsPolicy(actor, target) ? await getSettings(deps) : { adminsCanCreateAdmins: false });
}

/** assertMayGrantRole with the instance settings read only when they matter: never for the owner, whom no setting limits. */
export async function checkMayGrantRole(deps: Pick<CoreDeps, 'em'>, actor: Actor, from: User['role'] | null, to: User['role']): Promise<void> {
  assertMayGrantRole(actor, from, to, actor.role === 'owner' ? { adminsCanCreateAdmins: false } : await getSettings(deps));
}

/** For pages and the CLI: which actions the rules leave open to `actor` on `target` (scopes aside). */
export function allowedActions(actor: Actor, target: Pick<User, 'id' | 'role'>, policy: AdminPolicy): Record<UserAction, boolean> {
  const out = {} as Record<UserAction, boolean>;
  for (const action of USER_ACTIONS) {
    try {
      assertMayAct(actor, target, action, policy);
      out[action] = true;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      out[action] = false;
    }
  }
  return out;
}

/** Whether `actor` may make or unmake an admin (assertMayGrantRole; pages offer the admin role by it). */
export function mayGrantAdmin(actor: Pick<Actor, 'role'>, settings: AdminPolicy): boolean {
  return actor.role === 'owner' || settings.adminsCanCreateAdmins;
}

/** Making or unmaking an admin is the owner's call, unless the instance lets admins do it too. */
export function assertMayGrantRole(actor: Actor, from: User['role'] | null, to: User['role'], settings: AdminPolicy): void {
  if (to === 'owner') throw new AppError('OWNER_PROTECTED', 'Ownership moves only by transfer');
  // The scope table declares changing an account's role apart from other edits; every role change passes here.
  if (from !== null && from !== to && !hasScope(actor, 'user:changeRole')) throw new AppError('FORBIDDEN', 'Changing roles needs the user:changeRole permission');
  const touchesAdmin = to === 'admin' || from === 'admin';
  if (touchesAdmin && from !== to && !mayGrantAdmin(actor, settings))
    throw new AppError('FORBIDDEN', 'Only the owner can grant or remove the admin role');
}
