import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { assertKnownKeys } from './catalogue.ts';
import { catalogueOf, resolveUserPermissions, userPermissionValues } from './effective.ts';
import type { ResolvedPermission } from './resolve.ts';

/**
 * "May this user do X?" for a service: `{key: allowed}` for the asked keys
 * (every key when none are named) of `userId`, or of the caller. An
 * account that is suspended, deleted or pending has none.
 */
export async function checkPermissions(
  deps: CoreDeps,
  actor: Actor,
  input: { userId?: string; keys?: string[] },
): Promise<{ userId: string; permissions: Record<string, boolean> }> {
  const keys = input.keys ?? [];
  assertKnownKeys(catalogueOf(deps), keys);
  const userId = input.userId ?? actor.id;
  const values = await userPermissionValues(deps, userId);
  if (!values) throw new AppError('USER_NOT_FOUND');
  return { userId, permissions: keys.length ? Object.fromEntries(keys.map((k) => [k, values[k]!])) : values };
}

/** For the user detail page: every key with its value and why (role, default, group X, denied by group Y). */
export async function userPermissionSources(deps: CoreDeps, id: string): Promise<{ userId: string; items: ResolvedPermission[] }> {
  const resolved = await resolveUserPermissions(deps, id);
  if (!resolved) throw new AppError('USER_NOT_FOUND');
  return { userId: id, items: resolved };
}
