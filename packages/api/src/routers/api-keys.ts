import { adminUserSchema, apiKeySchema, createdApiKeySchema, okSchema } from '@roster/core';
import { keyScopesSchema } from '../outputs/account.ts';
import {
  KEY_SCOPES,
  adminRevokeApiKey,
  createApiKey,
  createServiceAccount,
  createServiceAccountKey,
  emailSchema,
  idSchema,
  keyScopesOf,
  listApiKeys,
  revokeOwnApiKey,
} from '@roster/core';
import { z } from 'zod';
import { scopedProcedure, signedInProcedure } from '../procedures.ts';
import { t } from '../trpc.ts';

const keyInput = z.object({
  name: z.string().trim().min(1, 'Give the key a name').max(100),
  scopes: z.array(z.enum(KEY_SCOPES)).min(1, 'Choose at least one scope').max(KEY_SCOPES.length),
  expiresAt: z.iso.datetime({ offset: true }).pipe(z.coerce.date()).nullable().optional(),
});
const byId = z.object({ id: idSchema });
// No API key may create or manage keys, whatever its scopes.
const own = () => signedInProcedure({ noApiKey: true });
const admin = () => scopedProcedure('apiKeys:manage', { noApiKey: true });

/** `me.apiKeys.*`: the caller's own keys; the secret is in `create`'s answer only. */
export const meApiKeysRouter = t.router({
  create: own()
    .input(keyInput)
    .output(createdApiKeySchema).mutation(({ ctx, input }) => createApiKey(ctx.deps, ctx.actor, input)),
  list: own().output(z.array(apiKeySchema)).query(({ ctx }) => listApiKeys(ctx.deps, { userId: ctx.actor.id })),
  /** The scopes the caller may give a key now (their role's), for the create form. */
  scopes: own().output(keyScopesSchema).query(({ ctx }) => ({ scopes: keyScopesOf(ctx.actor.role) })),
  revoke: own()
    .input(byId)
    .output(okSchema).mutation(({ ctx, input }) => revokeOwnApiKey(ctx.deps, ctx.actor, input.id)),
});

/** `admin.apiKeys.*`: anyone's keys (the owner's to the owner only); keys are created by admins for service accounts only. */
export const adminApiKeysRouter = t.router({
  list: admin()
    .input(z.object({ userId: idSchema.optional() }).optional())
    .output(z.array(apiKeySchema)).query(({ ctx, input }) => listApiKeys(ctx.deps, { userId: input?.userId, actor: ctx.actor })),
  create: admin()
    .input(keyInput.extend({ userId: idSchema }))
    .output(createdApiKeySchema).mutation(({ ctx, input: { userId, ...key } }) => createServiceAccountKey(ctx.deps, ctx.actor, userId, key)),
  revoke: admin()
    .input(byId)
    .output(okSchema).mutation(({ ctx, input }) => adminRevokeApiKey(ctx.deps, ctx.actor, input.id)),
});

/** `admin.serviceAccounts.create`: a user of role `service` (no password, no sign-in) that owns keys. */
export const adminServiceAccountsRouter = t.router({
  create: scopedProcedure('user:create')
    .input(z.object({ name: z.string().trim().min(1, 'Enter a name').max(100), email: emailSchema.optional() }))
    .output(adminUserSchema).mutation(({ ctx, input }) => createServiceAccount(ctx.deps, ctx.actor, input)),
});
