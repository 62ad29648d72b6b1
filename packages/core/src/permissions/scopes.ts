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
  /** Read and verify the audit log. */
  'audit:read',
  /** Webhook endpoints, their secrets and delivery log. */
  'webhooks:manage',
  'owner:transfer',
  /** Any user's API keys: list and revoke (never held by a key). */
  'apiKeys:manage',
] as const;
export type Scope = (typeof SCOPES)[number];

const ADMIN_SCOPES: Scope[] = SCOPES.filter((s) => s !== 'owner:transfer');

/** The one table from role to scopes. `pending` and `user` hold none of the admin scopes; `service` accounts read users and permissions. */
export const ROLE_SCOPES: Record<Actor['role'], readonly Scope[]> = {
  owner: SCOPES,
  admin: ADMIN_SCOPES,
  user: [],
  pending: [],
  service: ['user:list', 'user:read', 'permissions:check'],
};

/** The role holds the scope and, for a caller using an API key, so does the key: every check in core respects a key's limits. */
export function hasScope(actor: Pick<Actor, 'role' | 'keyScopes'>, scope: Scope): boolean {
  return ROLE_SCOPES[actor.role].includes(scope) && (!actor.keyScopes || actor.keyScopes.includes(scope));
}

/**
 * What an API key may hold: `me` (the holder's own data: every signed-in
 * procedure) and the role scopes, except managing keys, which no key does.
 */
export const KEY_SCOPES = ['me', ...SCOPES.filter((s) => s !== 'apiKeys:manage')] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

/** The key scopes a role holds now; a key is limited to these at every request, so a demotion shrinks its keys too. */
export function keyScopesOf(role: Actor['role']): KeyScope[] {
  if (role === 'pending') return [];
  return ['me', ...(ROLE_SCOPES[role] as KeyScope[]).filter((s) => s !== ('apiKeys:manage' as string))];
}
