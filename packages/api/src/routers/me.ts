import { adminUserSchema, okSchema, sessionSchema } from '@roster/core';
import { jsonDocumentSchema, permissionsSchema, statusSchema } from '../outputs/account.ts';
import {
  actorPermissions,
  avatarUrlSchema,
  checkAvatarOrigin,
  sessionIdSchema,
  changePassword,
  getMe,
  getMyInfo,
  getMySettings,
  getMyStatus,
  listSessions,
  nameSchema,
  passwordSchema,
  revokeOwnSession,
  updateMyInfo,
  updateMySettings,
  updateMyStatus,
  updateProfile,
} from '@roster/core';
import { z } from 'zod';
import { rotateOwnSession } from '../context.ts';
import { meApiKeysRouter } from './api-keys.ts';
import { instanceOrigins } from '../instance-origins.ts';
import { signedInProcedure } from '../procedures.ts';
import { t } from '../trpc.ts';

/** A JSON object keyed by short names; its size is capped in core (PAYLOAD_TOO_LARGE). */
const jsonObject = z.record(z.string().min(1).max(200), z.json());
const statusInput = z.object({
  emoji: z.string().trim().max(64).nullable().optional(),
  message: z.string().trim().max(280).nullable().optional(),
  expiresAt: z.iso.datetime({ offset: true }).pipe(z.coerce.date()).nullable().optional(),
});

/** The caller's own account. Only `get` (and `changePassword`) pass the approval / password-change gates. */
export const meRouter = t.router({
  apiKeys: meApiKeysRouter,
  get: signedInProcedure({ allowPending: true, allowMustChange: true }).output(adminUserSchema).query(({ ctx }) => getMe(ctx.deps, ctx.account)),
  /** The caller's effective permissions `{permissions: {key: boolean}}`, computed now (one query; none for admins). */
  permissions: signedInProcedure().output(permissionsSchema).query(async ({ ctx }) => ({ permissions: await actorPermissions(ctx.deps, ctx.actor) })),
  update: signedInProcedure()
    .input(z.object({ name: nameSchema.optional(), avatarUrl: avatarUrlSchema.optional() }))
    .output(adminUserSchema).mutation(({ ctx, input }) => {
      checkAvatarOrigin(input.avatarUrl, instanceOrigins(ctx.req));
      return updateProfile(ctx.deps, ctx.actor, input);
    }),
  changePassword: signedInProcedure({ allowMustChange: true, noApiKey: true })
    .input(z.object({ current: z.string().min(1, 'Enter your current password').max(256), next: passwordSchema }))
    .output(adminUserSchema).mutation(async ({ ctx, input }) => {
      const user = await changePassword(ctx.deps, ctx.actor, ctx.session?.id ?? '', input);
      // The other sessions are gone; this one continues under a new token.
      await rotateOwnSession(ctx);
      return user;
    }),
  settings: t.router({
    get: signedInProcedure().output(jsonDocumentSchema).query(({ ctx }) => getMySettings(ctx.deps, ctx.actor)),
    /** Replaces the whole document. */
    update: signedInProcedure()
      .input(jsonObject)
      .output(jsonDocumentSchema).mutation(({ ctx, input }) => updateMySettings(ctx.deps, ctx.actor, input)),
  }),
  status: t.router({
    get: signedInProcedure().output(statusSchema).query(({ ctx }) => getMyStatus(ctx.deps, ctx.actor)),
    /** Sets the whole status; omitted parts are cleared. */
    update: signedInProcedure()
      .input(statusInput)
      .output(statusSchema).mutation(({ ctx, input }) => updateMyStatus(ctx.deps, ctx.actor, input)),
  }),
  info: t.router({
    get: signedInProcedure().output(jsonDocumentSchema).query(({ ctx }) => getMyInfo(ctx.deps, ctx.actor)),
    /** Merges top-level keys; a null value removes its key. */
    update: signedInProcedure()
      .input(jsonObject)
      .output(jsonDocumentSchema).mutation(({ ctx, input }) => updateMyInfo(ctx.deps, ctx.actor, input)),
  }),
  sessions: t.router({
    list: signedInProcedure().output(z.array(sessionSchema)).query(({ ctx }) => listSessions(ctx.deps, ctx.actor.id, ctx.session?.id)),
    revoke: signedInProcedure()
      .input(z.object({ sessionId: sessionIdSchema }))
      .output(okSchema).mutation(async ({ ctx, input }) => {
        await revokeOwnSession(ctx.deps, ctx.actor, input.sessionId);
        return { ok: true as const };
      }),
  }),
});
