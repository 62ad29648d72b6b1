import { User } from '@roster/db';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { assertKnownKeys } from './catalogue.ts';
import { catalogueOf, resolveUserPermissions } from './effective.ts';
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
  const resolved = await resolveUserPermissions(deps, userId);
  if (!resolved) throw new AppError('USER_NOT_FOUND');
  const asked = keys.length ? new Set(keys) : null;
  return { userId, permissions: Object.fromEntries(resolved.filter((r) => !asked || asked.has(r.key)).map((r) => [r.key, r.allowed])) };
}

/** For the user detail page: every key with its value and why (role, default, group X, denied by group Y). */
export async function userPermissionSources(deps: CoreDeps, id: string): Promise<{ userId: string; items: ResolvedPermission[] }> {
  const resolved = await resolveUserPermissions(deps, id);
  if (!resolved) throw new AppError('USER_NOT_FOUND');
  return { userId: id, items: resolved };
}

export async function assertUserExists(deps: Pick<CoreDeps, 'em'>, id: string): Promise<void> {
  if (!(await deps.em.count(User, { id }))) throw new AppError('USER_NOT_FOUND');
}
