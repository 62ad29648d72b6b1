import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { isUniqueViolation } from '../errors.ts';
import { findGroupOrFail, readGroup, type GroupDto } from './dto.ts';
import { assertGroupNameFree, checkGrantsAndDenies, mapGroupUniqueViolation } from './group-fields.ts';

export interface UpdateGroupInput {
  id: string;
  name?: string;
  description?: string | null;
  grants?: string[];
  denies?: string[];
}

/** Renames, describes, or replaces a group's grants and denies (admins only; managers cannot). Audited with before and after. */
export async function updateGroup(deps: CoreDeps, actor: Actor, input: UpdateGroupInput): Promise<GroupDto> {
  const group = await findGroupOrFail(deps.em, input.id);
  const { grants, denies } = checkGrantsAndDenies(deps, input.grants ?? group.grants, input.denies ?? group.denies);
  if (input.name !== undefined && input.name !== group.name) await assertGroupNameFree(deps.em, input.name, group.id);
  const before = { name: group.name, description: group.description ?? null, grants: [...group.grants], denies: [...group.denies] };
  const after = {
    name: input.name ?? group.name,
    description: input.description === undefined ? before.description : input.description || null,
    grants,
    denies,
  };
  try {
    await deps.em.transactional(async (em) => {
      const g = await findGroupOrFail(em, input.id);
      Object.assign(g, after);
      recordAudit(em, { actorId: actor.id, action: 'group.update', targetId: g.id, details: { before, after } });
    });
  } catch (err) {
    if (isUniqueViolation(err)) mapGroupUniqueViolation(err);
    throw err;
  }
  return readGroup(deps.em, input.id);
}
