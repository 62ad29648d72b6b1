import type { EntityManager, PreparedQuery } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import { accountJsonSql } from '../auth/session-store.ts';
import { keyScopesOf } from '../permissions/scopes.ts';
import type { SessionAccount } from '../users/dto.ts';

/** What every API key secret starts with, so a Bearer token is told apart from a session id without a lookup. */
export const API_KEY_PREFIX = 'rst_';
export const isApiKeySecret = (token: string) => token.startsWith(API_KEY_PREFIX);

export interface ValidApiKey {
  id: string;
  /** The key's scopes that its user still holds (a demotion shrinks them at once). */
  scopes: string[];
  /** `lastUsedAt` is older than a minute: write it and audit the use (recordApiKeyUse). */
  useStale: boolean;
  account: SessionAccount;
  permissionEpoch: number;
}

type Row = { id: string; scopes: string[]; use_stale: boolean; account: SessionAccount; permission_epoch: string };
const STALE = `interval '1 minute'`;

/**
 * Checks an API key in one prepared statement, the cost of a session check:
 * the key (by the SHA-256 of its secret), its user's account fields and the
 * permission epoch. Only live keys of active users validate, so suspension
 * and deletion end a user's keys like their sessions.
 */
export function createApiKeyStore(em: EntityManager, prepared: PreparedQuery) {
  const validation = `select k.id, k.scopes, (k.last_used_at is null or k.last_used_at < now() - ${STALE}) as use_stale,
        ${accountJsonSql(em)} as account, (select n from permission_epoch where id = 1) as permission_epoch
   from api_keys k join users u on u.id = k.user_id
  where k.secret_hash = $1 and k.revoked_at is null and (k.expires_at is null or k.expires_at > now()) and u.status = 'active'`;
  return {
    /** `secretHash`: hashToken(secret), computed once by the caller (it also keys the rate limit). */
    async validate(secretHash: string): Promise<ValidApiKey | null> {
      const rows = await prepared<Row>('roster_api_key_validation', validation, [secretHash]);
      const row = rows[0];
      if (!row) return null;
      const held = new Set<string>(keyScopesOf(row.account.role));
      return {
        id: row.id,
        scopes: row.scopes.filter((s) => held.has(s)),
        useStale: row.use_stale,
        account: row.account,
        permissionEpoch: Number(row.permission_epoch),
      };
    },
  };
}
export type ApiKeyStore = ReturnType<typeof createApiKeyStore>;

/**
 * Writes `lastUsedAt` and an `apiKey.used` audit event (key id and prefix, the
 * client's address and user agent) together; called only when validation said
 * the last use is over a minute old, so a key's use shows in the audit log
 * minute by minute while most key requests write nothing.
 */
export async function recordApiKeyUse(em: EntityManager, key: { id: string; userId: string }, client: { ip: string | null; userAgent: string | null }): Promise<void> {
  await em.transactional(async (tx) => {
    const touched = await tx.execute<{ prefix: string }[]>(
      `update api_keys set last_used_at = now() where id = ? and (last_used_at is null or last_used_at < now() - ${STALE}) returning prefix`,
      [key.id],
    );
    // Another request of the same minute got there first: it records this minute.
    if (!touched[0]) return;
    recordAudit(tx, { actorId: key.userId, action: 'apiKey.used', targetId: key.userId, details: { keyId: key.id, prefix: touched[0].prefix }, ...client });
  });
}
