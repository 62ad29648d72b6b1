import { User } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { assertJsonFits } from './json-limit.ts';
import type { JsonObject } from './settings.ts';

export async function getMyInfo(deps: CoreDeps, actor: Actor): Promise<JsonObject> {
  const user = await deps.em.findOneOrFail(User, actor.id, { fields: ['info'] });
  return user.info ?? {};
}

/**
 * Merges top-level keys into `info` (Open WebUI); a null value removes its key.
 * The merge runs in SQL so two concurrent updates of different keys both land;
 * the size check sees the merged result and rolls back when it is too big.
 */
export async function updateMyInfo(deps: CoreDeps, actor: Actor, patch: Record<string, unknown>): Promise<JsonObject> {
  const set: JsonObject = {};
  const remove: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) remove.push(key);
    else set[key] = value;
  }
  return deps.em.transactional(async (em) => {
    const rows = await em.execute<{ info: JsonObject }[]>(
      `update users set info = (info || ?::jsonb) - array(select jsonb_array_elements_text(?::jsonb)), updated_at = now()
        where id = ? returning info`,
      [JSON.stringify(set), JSON.stringify(remove), actor.id],
    );
    if (!rows[0]) throw new AppError('UNAUTHENTICATED');
    assertJsonFits(rows[0].info, 'info');
    const keys = { set: Object.keys(set).slice(0, 50), removed: remove.slice(0, 50) };
    recordAudit(em, { actorId: actor.id, action: 'me.info.update', targetId: actor.id, details: keys });
    return rows[0].info;
  });
}
