import { generateToken, hashToken } from '@roster/auth';
import { ApiKey, User } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { requirePermission } from '../permissions/effective.ts';
import { keyScopesOf, type KeyScope } from '../permissions/scopes.ts';
import { findUserOrFail } from '../users/fields.ts';
import { checkMayAct } from '../users/rules.ts';
import { toApiKeyDto, type ApiKeyDto } from './dto.ts';
import { API_KEY_PREFIX } from './key-store.ts';

/** Enough for any service layout; a runaway script cannot fill the table. */
export const API_KEYS_PER_USER = 50;

export interface ApiKeyInput {
  name: string;
  scopes: KeyScope[];
  expiresAt?: Date | null;
}

/** The new key with its secret: the only time the secret leaves the server. */
export type CreatedApiKey = ApiKeyDto & { secret: string };

/** A user creates a key for themselves: the permission apiKeys.create (admins pass), and only scopes they hold. */
export async function createApiKey(deps: CoreDeps, actor: Actor, input: ApiKeyInput): Promise<CreatedApiKey> {
  if (deps.apiKey) throw new AppError('API_KEY_FORBIDDEN', 'An API key cannot create or manage keys');
  await requirePermission(deps, actor, 'apiKeys.create');
  return insertKey(deps, actor, { id: actor.id, role: actor.role }, input);
}

/** An admin creates a key for a service account (never for a person: that would be acting as them). */
export async function createServiceAccountKey(deps: CoreDeps, actor: Actor, userId: string, input: ApiKeyInput): Promise<CreatedApiKey> {
  if (deps.apiKey) throw new AppError('API_KEY_FORBIDDEN', 'An API key cannot create or manage keys');
  const user = await findUserOrFail(deps.em, userId);
  if (user.role !== 'service') throw new AppError('FORBIDDEN', 'Admins create keys for service accounts only; people create their own');
  await checkMayAct(deps, actor, user, 'changeCredentials');
  return insertKey(deps, actor, user, input);
}

async function insertKey(deps: CoreDeps, actor: Actor, owner: { id: string; role: User['role'] }, input: ApiKeyInput): Promise<CreatedApiKey> {
  const held = new Set<string>(keyScopesOf(owner.role));
  const missing = input.scopes.filter((s) => !held.has(s));
  if (missing.length) throw new AppError('SCOPE_NOT_HELD', `The key's user does not hold: ${missing.join(', ')}`, { scopes: [`Not held: ${missing.join(', ')}`] });
  const now = deps.clock.now();
  if (input.expiresAt && input.expiresAt <= now) {
    throw new AppError('VALIDATION', 'The expiry must be in the future', { expiresAt: ['Choose a time in the future'] });
  }
  // 40 characters of base62: about 238 random bits.
  const secret = `${API_KEY_PREFIX}${generateToken(40)}`;
  const secretHash = await hashToken(secret);
  const key = await deps.em.transactional(async (em) => {
    const count = await em.count(ApiKey, { user: owner.id, revokedAt: null });
    if (count >= API_KEYS_PER_USER) throw new AppError('VALIDATION', `A user can hold at most ${API_KEYS_PER_USER} keys; revoke one first`);
    const k = em.create(ApiKey, {
      user: em.getReference(User, owner.id),
      name: input.name,
      prefix: secret.slice(0, API_KEY_PREFIX.length + 8),
      secretHash,
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresAt ?? null,
    });
    recordAudit(em, { actorId: actor.id, action: 'apiKey.create', targetId: owner.id, details: { keyId: k.id, name: k.name, scopes: k.scopes } });
    return k;
  });
  return { ...toApiKeyDto(key, now), secret };
}
