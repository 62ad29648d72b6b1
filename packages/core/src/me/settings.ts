import { User } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { assertJsonFits } from './json-limit.ts';

export type JsonObject = Record<string, unknown>;

export async function getMySettings(deps: CoreDeps, actor: Actor): Promise<JsonObject> {
  const user = await deps.em.findOneOrFail(User, actor.id, { fields: ['settings'] });
  return user.settings ?? {};
}

/**
 * Replaces the whole document: a settings page holds all of it and saves all
 * of it, and replacing is the only way a client can drop a key. (`me.info`
 * is the merging one.)
 */
export async function updateMySettings(deps: CoreDeps, actor: Actor, settings: JsonObject): Promise<JsonObject> {
  assertJsonFits(settings, 'settings');
  await deps.em.transactional(async (em) => {
    await em.execute(`update users set settings = ?::jsonb, updated_at = now() where id = ?`, [JSON.stringify(settings), actor.id]);
    // The keys, not the document: it is the user's own and may be large.
    recordAudit(em, { actorId: actor.id, action: 'me.settings.update', targetId: actor.id, details: { keys: Object.keys(settings).slice(0, 50) } });
  });
  return settings;
}
