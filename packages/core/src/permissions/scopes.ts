import type { Actor } from '../deps.ts';

/** Every named permission a procedure can require. */
export const SCOPES = [
  'user:list',
  'user:read',
  'user:create',
  'user:update',
  'user:changeRole',
  'user:resetPassword',
  'user:suspend',
  'user:delete',
  'user:sessions',
  'user:invite',
  'settings:read',
  'settings:update',
  'storage:stats',
  /** List, download, upload (as) and delete any user's files. */
  'files:manage',
  'jobs:manage',
  /** Groups, their grants and denies, members and managers. */
  'groups:manage',
  /** The default permission template. */
  'permissions:manage',
  /** Any user's effective permissions (services ask through it). */
  'permissions:check',
  /** Webhook endpoints, their secrets and delivery log. */
  'webhooks:manage',
  'owner:transfer',
] as const;
export type Scope = (typeof SCOPES)[number];

const ADMIN_SCOPES: Scope[] = SCOPES.filter((s) => s !== 'owner:transfer');

/** The one table from role to scopes. `pending` and `user` hold none of the admin scopes. */
export const ROLE_SCOPES: Record<Actor['role'], readonly Scope[]> = {
  owner: SCOPES,
  admin: ADMIN_SCOPES,
  user: [],
  pending: [],
};

export function hasScope(actor: Pick<Actor, 'role'>, scope: Scope): boolean {
  return ROLE_SCOPES[actor.role].includes(scope);
}
