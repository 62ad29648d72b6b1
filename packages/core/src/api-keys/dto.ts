import type { ApiKey } from '@roster/db';
import { z } from 'zod';
import { isoDateSchema } from '../output.ts';

/** An API key as its owner and admins see it; the secret itself is never stored and shown only by `createApiKey`. */
export const apiKeySchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  /** The first characters of the secret (`rst_` + 8), to tell keys apart. */
  prefix: z.string(),
  scopes: z.array(z.string()),
  createdAt: isoDateSchema,
  lastUsedAt: isoDateSchema.nullable(),
  expiresAt: isoDateSchema.nullable(),
  expired: z.boolean(),
});
export type ApiKeyDto = z.infer<typeof apiKeySchema>;

/** `create`'s answer: the key and, this once, its secret. */
export const createdApiKeySchema = apiKeySchema.extend({ secret: z.string() });

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
