import { randomUUID } from 'node:crypto';
import { Group } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { isUniqueViolation } from '../errors.ts';
import { readGroup, type GroupDto } from './dto.ts';
import { assertGroupNameFree, checkGrantsAndDenies, mapGroupUniqueViolation } from './group-fields.ts';

export interface GroupInput {
  name: string;
  description?: string | null;
  grants: string[];
  denies: string[];
}

/** Creates a group (no members yet); returns the bare group. */
export async function createGroup(deps: CoreDeps, actor: Actor, input: GroupInput): Promise<GroupDto> {
  const { grants, denies } = checkGrantsAndDenies(deps, input.grants, input.denies);
  await assertGroupNameFree(deps.em, input.name);
  const id = randomUUID();
  try {
    await deps.em.transactional(async (em) => {
      em.create(Group, { id, name: input.name, description: input.description || null, grants, denies });
      recordAudit(em, { actorId: actor.id, action: 'group.create', targetId: id, details: { name: input.name, grants, denies } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) mapGroupUniqueViolation(err);
    throw err;
  }
  return readGroup(deps.em, id);
}
