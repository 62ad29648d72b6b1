import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { rosterCatalogue, type PermissionCatalogue, type RosterPermission } from './catalogue.ts';
import { effectiveValues, resolvePermissions, type GroupGrants, type ResolvedPermission } from './resolve.ts';

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
    from users u where u.id = $1`;

/**
 * Every key of the catalogue for `userId`, with its source; null when there
 * is no such user. A named prepared statement when the web gives one (parsed
 * and planned once per connection, as the session lookup).
 */
export async function resolveUserPermissions(
  deps: Pick<CoreDeps, 'em' | 'permissions' | 'prepared'>,
  userId: string,
): Promise<ResolvedPermission[] | null> {
  const [row] = deps.prepared
    ? await deps.prepared<Row>('roster_effective_permissions', EFFECTIVE_SQL, [userId])
    : await deps.em.execute<Row[]>(EFFECTIVE_SQL.replace('$1', '?'), [userId]);
  if (!row) return null;
  return resolvePermissions(catalogueOf(deps), {
    role: row.role,
    active: row.status === 'active',
    defaults: row.defaults ?? {},
    groups: row.groups ?? [],
  });
}

type ValuesRow = {
  role: Actor['role'];
  status: Actor['status'];
  defaults: Record<string, boolean> | null;
  grants: string[][] | null;
  denies: string[][] | null;
  next_expiry: Date | null;
};

/**
 * The values alone, for enforcement, `me.permissions` and `permissions.check`:
 * the same rows as EFFECTIVE_SQL, but each group's grant and deny arrays
 * gathered as they are (no object built per group), about half its time
 * with 50 groups; plus the earliest membership expiry, which ends a cached copy.
 */
const VALUES_SQL = `
  select u.role, u.status, (select jsonb_object_agg(d.key, d.allowed) from permission_defaults d) as defaults, x.grants, x.denies, x.next_expiry
    from users u
    left join lateral (select jsonb_agg(g.grants) as grants, jsonb_agg(g.denies) as denies, min(m.expires_at) as next_expiry
                         from group_members m join groups g on g.id = m.group_id
                        where m.user_id = u.id and (m.expires_at is null or m.expires_at > now())) x on true
   where u.id = $1`;

type ValuesDeps = Pick<CoreDeps, 'em' | 'permissions' | 'prepared' | 'permissionValues'>;

/**
 * `{key: allowed}` for every key of the catalogue for `userId`; null when
 * there is no such user. From the web process's cache when the request's
 * session lookup gave one (values-cache.ts), else one statement, prepared
 * when the web gives one.
 */
export async function userPermissionValues(deps: ValuesDeps, userId: string): Promise<Record<string, boolean> | null> {
  const cached = deps.permissionValues?.get(userId);
  if (cached) return cached;
  const [row] = deps.prepared
    ? await deps.prepared<ValuesRow>('roster_permission_values', VALUES_SQL, [userId])
    : await deps.em.execute<ValuesRow[]>(VALUES_SQL.replace('$1', '?'), [userId]);
  if (!row) return null;
  const values = effectiveValues(catalogueOf(deps), {
    role: row.role,
    active: row.status === 'active',
    defaults: row.defaults ?? {},
    grants: (row.grants ?? []).flat(),
    denies: (row.denies ?? []).flat(),
  });
  deps.permissionValues?.set(userId, values, row.next_expiry && new Date(row.next_expiry));
  return values;
}

/** `{key: allowed}` for the signed-in caller. Owner and admins need no query. */
export async function actorPermissions(deps: ValuesDeps, actor: Pick<Actor, 'id' | 'role'>): Promise<Record<string, boolean>> {
  const catalogue = catalogueOf(deps);
  if (actor.role === 'owner' || actor.role === 'admin') return Object.fromEntries(catalogue.entries.map((e) => [e.key, true]));
  return (await userPermissionValues(deps, actor.id)) ?? {};
}

/**
 * Enforcement of one of Roster's own keys for the caller: FORBIDDEN
 * (PERMISSION_DENIED) when their effective value is false. A changed
 * template or membership counts from the next request (the cache is per
 * epoch); owner and admins pass without a query.
 */
export async function requirePermission(
  deps: ValuesDeps,
  actor: Pick<Actor, 'id' | 'role'> | null,
  key: RosterPermission,
): Promise<void> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (actor.role === 'owner' || actor.role === 'admin') return;
  const values = await userPermissionValues(deps, actor.id);
  if (!values?.[key]) throw new AppError('PERMISSION_DENIED', `You do not have the permission ${key}`);
}
