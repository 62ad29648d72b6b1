import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { rosterCatalogue, type PermissionCatalogue, type RosterPermission } from './catalogue.ts';
import { resolvePermissions, type GroupGrants, type ResolvedPermission } from './resolve.ts';

export const catalogueOf = (deps: Pick<CoreDeps, 'permissions'>): PermissionCatalogue => deps.permissions ?? rosterCatalogue;

type Row = { role: Actor['role']; status: Actor['status']; defaults: Record<string, boolean>; groups: GroupGrants[] };

/**
 * Everything resolution needs in ONE statement: the user's role and status,
 * the template's overrides and the grants and denies of their live
 * memberships (an expired row counts for nothing even before the expiry job
 * removes it). Served by group_members' primary key and group_members_user.
 */
const EFFECTIVE_SQL = `
  select u.role, u.status,
         coalesce((select jsonb_object_agg(d.key, d.allowed) from permission_defaults d), '{}'::jsonb) as defaults,
         coalesce((select jsonb_agg(jsonb_build_object('id', g.id, 'name', g.name, 'grants', g.grants, 'denies', g.denies) order by g.name)
                     from group_members m join groups g on g.id = m.group_id
                    where m.user_id = u.id and (m.expires_at is null or m.expires_at > now())), '[]'::jsonb) as groups
    from users u where u.id = ?`;

/** Every key of the catalogue for `userId`, with its source; null when there is no such user. */
export async function resolveUserPermissions(deps: Pick<CoreDeps, 'em' | 'permissions'>, userId: string): Promise<ResolvedPermission[] | null> {
  const [row] = await deps.em.execute<Row[]>(EFFECTIVE_SQL, [userId]);
  if (!row) return null;
  return resolvePermissions(catalogueOf(deps), {
    role: row.role,
    active: row.status === 'active',
    defaults: row.defaults ?? {},
    groups: row.groups ?? [],
  });
}

/** `{key: allowed}` for the signed-in caller. Owner and admins need no query. */
export async function actorPermissions(deps: Pick<CoreDeps, 'em' | 'permissions'>, actor: Pick<Actor, 'id' | 'role'>): Promise<Record<string, boolean>> {
  const catalogue = catalogueOf(deps);
  if (actor.role === 'owner' || actor.role === 'admin') return Object.fromEntries(catalogue.entries.map((e) => [e.key, true]));
  const resolved = (await resolveUserPermissions(deps, actor.id)) ?? [];
  return Object.fromEntries(resolved.map((r) => [r.key, r.allowed]));
}

/**
 * Enforcement of one of Roster's own keys for the caller: FORBIDDEN
 * (PERMISSION_DENIED) when their effective value is false. Computed per
 * call, so a changed template or membership counts from the next request;
 * owner and admins pass without a query.
 */
export async function requirePermission(
  deps: Pick<CoreDeps, 'em' | 'permissions'>,
  actor: Pick<Actor, 'id' | 'role'> | null,
  key: RosterPermission,
): Promise<void> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (actor.role === 'owner' || actor.role === 'admin') return;
  const resolved = await resolveUserPermissions(deps, actor.id);
  if (!resolved?.find((r) => r.key === key)?.allowed) throw new AppError('PERMISSION_DENIED', `You do not have the permission ${key}`);
}
