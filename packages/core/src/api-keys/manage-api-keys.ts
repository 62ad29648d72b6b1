import { ApiKey, type User } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { checkMayAct } from '../users/rules.ts';
import { toApiKeyDto, type ApiKeyDto } from './dto.ts';

const LIST_LIMIT = 200;

/** Live (not revoked) keys, newest first; one user's, or everyone's for admins (the owner's only to the owner). */
export async function listApiKeys(deps: CoreDeps, opts: { userId?: string; actor?: Actor }): Promise<ApiKeyDto[]> {
  const where: Record<string, unknown> = { revokedAt: null };
  if (opts.userId) where.user = opts.userId;
  if (opts.actor && opts.actor.role !== 'owner') where.user = { ...(opts.userId ? { id: opts.userId } : {}), role: { $ne: 'owner' } };
  const keys = await deps.em.find(ApiKey, where, { orderBy: { createdAt: 'desc' }, limit: LIST_LIMIT });
  const now = deps.clock.now();
  return keys.map((k) => toApiKeyDto(k, now));
}

/** The caller revokes one of their own keys; someone else's is NOT_FOUND. */
export async function revokeOwnApiKey(deps: CoreDeps, actor: Actor, id: string): Promise<{ ok: true }> {
  if (deps.apiKey) throw new AppError('API_KEY_FORBIDDEN', 'An API key cannot create or manage keys');
  const key = await deps.em.findOne(ApiKey, { id, user: actor.id, revokedAt: null });
  if (!key) throw new AppError('NOT_FOUND', 'API key not found');
  return revoke(deps, actor, key);
}

/** An admin revokes anyone's key, as the rules on acting on that user allow. */
export async function adminRevokeApiKey(deps: CoreDeps, actor: Actor, id: string): Promise<{ ok: true }> {
  if (deps.apiKey) throw new AppError('API_KEY_FORBIDDEN', 'An API key cannot create or manage keys');
  const key = await deps.em.findOne(ApiKey, { id, revokedAt: null }, { populate: ['user'] });
  if (!key) throw new AppError('NOT_FOUND', 'API key not found');
  const owner = key.user as unknown as Pick<User, 'id' | 'role'>;
  if (owner.role === 'owner' && actor.role !== 'owner') throw new AppError('NOT_FOUND', 'API key not found');
  await checkMayAct(deps, actor, owner, 'revokeSessions');
  return revoke(deps, actor, key);
}

async function revoke(deps: CoreDeps, actor: Actor, key: ApiKey): Promise<{ ok: true }> {
  key.revokedAt = deps.clock.now();
  recordAudit(deps.em, { actorId: actor.id, action: 'apiKey.revoke', targetId: key.user.id, details: { keyId: key.id, name: key.name } });
  await deps.em.flush();
  return { ok: true };
}
