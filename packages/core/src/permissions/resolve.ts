import type { Actor } from '../deps.ts';
import type { PermissionCatalogue } from './catalogue.ts';

export interface GroupRef {
  id: string;
  name: string;
}

/** A group as the resolution reads it: what it grants and denies. */
export interface GroupGrants extends GroupRef {
  grants: readonly string[];
  denies: readonly string[];
}

/** Why a key has its value, for the user detail page. */
export type PermissionSource =
  | { kind: 'role'; role: 'owner' | 'admin' }
  | { kind: 'inactive' }
  | { kind: 'default' }
  | { kind: 'group'; groups: GroupRef[] }
  | { kind: 'denied'; groups: GroupRef[] };

export interface ResolvedPermission {
  key: string;
  area: string;
  label: string;
  allowed: boolean;
  /** The template's value (the stored override, else the catalogue default). */
  defaultValue: boolean;
  source: PermissionSource;
}

export interface ResolveInput {
  role: Actor['role'];
  /** Suspended, deleted and pending accounts may do nothing. */
  active: boolean;
  /** The template's stored overrides; keys the catalogue no longer has are ignored. */
  defaults: Readonly<Record<string, boolean>>;
  /** The user's live memberships only (expired ones already left out). */
  groups: readonly GroupGrants[];
}

/**
 * Effective permissions: the template ∪ every group's grants, minus any
 * group's denies (a deny wins over every grant and the template, so a group
 * can take a feature away: open-webui#16748). Owner and admins have every
 * key; an inactive account none.
 */
export function resolvePermissions(catalogue: PermissionCatalogue, input: ResolveInput): ResolvedPermission[] {
  const granting = new Map<string, GroupRef[]>();
  const denying = new Map<string, GroupRef[]>();
  for (const g of input.groups) {
    const ref = { id: g.id, name: g.name };
    for (const k of g.grants) (granting.get(k) ?? granting.set(k, []).get(k)!).push(ref);
    for (const k of g.denies) (denying.get(k) ?? denying.set(k, []).get(k)!).push(ref);
  }
  const privileged = input.role === 'owner' || input.role === 'admin';
  return catalogue.entries.map((e) => {
    const defaultValue = input.defaults[e.key] ?? e.default;
    const base = { key: e.key, area: e.area, label: e.label, defaultValue };
    if (privileged) return { ...base, allowed: true, source: { kind: 'role', role: input.role as 'owner' | 'admin' } };
    if (!input.active || input.role === 'pending') return { ...base, allowed: false, source: { kind: 'inactive' } };
    const denied = denying.get(e.key);
    if (denied) return { ...base, allowed: false, source: { kind: 'denied', groups: denied } };
    if (defaultValue) return { ...base, allowed: true, source: { kind: 'default' } };
    const granted = granting.get(e.key);
    if (granted) return { ...base, allowed: true, source: { kind: 'group', groups: granted } };
    return { ...base, allowed: false, source: { kind: 'default' } };
  });
}

/**
 * The same values as resolvePermissions without the sources, from the union
 * of the live groups' grants and of their denies: what enforcement and
 * `me.permissions` need, from a leaner query.
 */
export function effectiveValues(
  catalogue: PermissionCatalogue,
  input: Omit<ResolveInput, 'groups'> & { grants: Iterable<string>; denies: Iterable<string> },
): Record<string, boolean> {
  const privileged = input.role === 'owner' || input.role === 'admin';
  const none = !input.active || input.role === 'pending';
  const grants = new Set(input.grants);
  const denies = new Set(input.denies);
  const out: Record<string, boolean> = {};
  for (const e of catalogue.entries)
    out[e.key] = privileged || (!none && !denies.has(e.key) && ((input.defaults[e.key] ?? e.default) || grants.has(e.key)));
  return out;
}

/** `{key: allowed}` for every key of the catalogue. */
export function permissionMap(resolved: readonly ResolvedPermission[]): Record<string, boolean> {
  return Object.fromEntries(resolved.map((r) => [r.key, r.allowed]));
}
