import { PermissionDefault } from '@roster/db';
import type { Actor, CoreDeps } from '../deps.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { assertKnownKeys, type PermissionEntry } from './catalogue.ts';
import { catalogueOf } from './effective.ts';

export interface PermissionTemplateDto {
  permissions: Record<string, boolean>;
}

/** The catalogue as admins pick from it: key, area, label, default (the catalogue's, before the template). */
export function permissionCatalogue(deps: Pick<CoreDeps, 'permissions'>): { items: PermissionEntry[] } {
  return { items: catalogueOf(deps).entries.map((e) => ({ ...e })) };
}

/** Every key's value in the default template: the stored override, else the catalogue's default. */
export async function getDefaultPermissions(deps: Pick<CoreDeps, 'em' | 'permissions'>): Promise<PermissionTemplateDto> {
  const rows = await deps.em.find(PermissionDefault, {});
  const stored = new Map(rows.map((r) => [r.key, r.allowed]));
  return { permissions: Object.fromEntries(catalogueOf(deps).entries.map((e) => [e.key, stored.get(e.key) ?? e.default])) };
}

/**
 * Sets the named keys of the template (others keep their value), audited
 * with the values before and after. Takes effect on every user's next
 * request: nothing caches it.
 */
export async function setDefaultPermissions(
  deps: CoreDeps,
  actor: Actor,
  input: { permissions: Record<string, boolean> },
): Promise<PermissionTemplateDto> {
  assertKnownKeys(catalogueOf(deps), Object.keys(input.permissions), 'permissions');
  return deps.em.transactional(async (em) => {
    const before = (await getDefaultPermissions({ em, permissions: deps.permissions })).permissions;
    const changed: Record<string, { before: boolean; after: boolean }> = {};
    for (const [key, allowed] of Object.entries(input.permissions)) {
      if (before[key] !== allowed) changed[key] = { before: before[key]!, after: allowed };
      await em.upsert(PermissionDefault, { key, allowed, updatedAt: new Date() });
    }
    recordAudit(em, {
      actorId: actor.id,
      action: 'permissions.default.set',
      details: {
        before: Object.fromEntries(Object.keys(input.permissions).map((k) => [k, before[k]])),
        after: input.permissions,
        changed,
      },
    });
    await em.flush();
    return { permissions: { ...before, ...input.permissions } };
  });
}
