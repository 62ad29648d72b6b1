import type { ApiKey } from '@roster/db';

/** An API key as its owner and admins see it; the secret itself is never stored and shown only by `createApiKey`. */
export interface ApiKeyDto {
  id: string;
  userId: string;
  name: string;
  /** The first characters of the secret (`rst_` + 8), to tell keys apart. */
  prefix: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  expired: boolean;
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

export function toApiKeyDto(k: Pick<ApiKey, 'id' | 'name' | 'prefix' | 'scopes' | 'createdAt' | 'lastUsedAt' | 'expiresAt'> & { user: { id: string } }, now: Date): ApiKeyDto {
  return {
    id: k.id,
    userId: k.user.id,
    name: k.name,
    prefix: k.prefix,
    scopes: [...k.scopes],
    createdAt: iso(k.createdAt)!,
    lastUsedAt: iso(k.lastUsedAt),
    expiresAt: iso(k.expiresAt),
    expired: !!k.expiresAt && new Date(k.expiresAt) <= now,
  };
}
