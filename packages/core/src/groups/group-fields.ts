import { z } from 'zod';
import type { CoreDeps } from '../deps.ts';
import { AppError, isUniqueViolation } from '../errors.ts';
import { assertKnownKeys, permissionKeysSchema } from '../permissions/catalogue.ts';
import { catalogueOf } from '../permissions/effective.ts';
import type { EntityManager } from '@roster/db';

export const groupNameSchema = z.string().trim().min(1, 'Enter a name').max(100, 'At most 100 characters');
export const groupDescriptionSchema = z.string().trim().max(1000, 'At most 1000 characters');
export { permissionKeysSchema };

/** Known keys only, each once, never both granted and denied (a deny would silently win). */
export function checkGrantsAndDenies(deps: Pick<CoreDeps, 'permissions'>, grants: string[], denies: string[]): { grants: string[]; denies: string[] } {
  const catalogue = catalogueOf(deps);
  assertKnownKeys(catalogue, grants, 'grants');
  assertKnownKeys(catalogue, denies, 'denies');
  const g = [...new Set(grants)].sort();
  const d = [...new Set(denies)].sort();
  const both = g.filter((k) => d.includes(k));
  if (both.length)
    throw new AppError('VALIDATION', `A key cannot be both granted and denied: ${both.join(', ')}`, { denies: [`Also granted: ${both.join(', ')}`] });
  return { grants: g, denies: d };
}

/** Names are unique case-insensitively (groups_name_lower_key). */
export async function assertGroupNameFree(em: EntityManager, name: string, exceptId?: string): Promise<void> {
  const [row] = await em.execute<{ id: string }[]>(`select id from groups where lower(name) = lower(?) limit 1`, [name]);
  if (row && row.id !== exceptId) throw nameTaken();
}

const nameTaken = () => new AppError('GROUP_NAME_TAKEN', undefined, { name: ['A group with this name exists'] });

/** A race past assertGroupNameFree ends in the unique index: the same error. */
export function mapGroupUniqueViolation(err: unknown): never {
  if (isUniqueViolation(err, 'groups_name_lower_key')) throw nameTaken();
  throw err;
}
