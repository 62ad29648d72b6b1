import { adminUserSchema, sessionSchema } from '@roster/core';
import { createdUserSchema, passwordSchemaOut, revokedAllSchema, revokedSessionSchema, transferSchema, userDetailSchema, userWithGroupsPageSchema } from '../../outputs/users.ts';
import {
  avatarUrlSchema,
  checkAvatarOrigin,
  sessionIdSchema,
  adminListSessions,
  adminRevokeSession,
  createUser,
  emailSchema,
  getUser,
  idSchema,
  listUsersWithGroups,
  nameSchema,
  pageSchema,
  passwordSchema,
  quotaGiBSchema,
  resetPassword,
  revokeAllSessions,
  suspendUser,
  transferOwnership,
  unsuspendUser,
  updateUser,
  USER_ORDER_FIELDS,
} from '@roster/core';
import { ROLES, USER_STATUSES } from '@roster/db';
import { z } from 'zod';
import { rotateOwnSession } from '../../context.ts';
import { instanceOrigins } from '../../instance-origins.ts';
import { scopedProcedure } from '../../procedures.ts';

const assignableRole = z.enum(['admin', 'user', 'pending']);
const byId = z.object({ id: idSchema });
const storageLabel = z.string().trim().max(64).nullable();

export const listUsersInput = z.object({
  query: z.string().trim().max(200).optional(),
  roles: z.array(z.enum(ROLES)).optional(),
  statuses: z.array(z.enum(USER_STATUSES)).optional(),
  orderBy: z.enum(USER_ORDER_FIELDS).optional(),
  direction: z.enum(['asc', 'desc']).optional(),
  /** Members (live) of any of these groups. */
  groupIds: z.array(idSchema).max(50).optional(),
  ...pageSchema,
});

/** Account administration; other areas add their procedures in their own files (see index.ts). */
export const userAdminProcedures = {
  list: scopedProcedure('user:list')
    .input(listUsersInput.default({ page: 1, pageSize: 25 }))
    .output(userWithGroupsPageSchema).query(({ ctx, input }) => listUsersWithGroups(ctx.deps, input)),
  get: scopedProcedure('user:read')
    .input(byId)
    .output(userDetailSchema).query(({ ctx, input }) => getUser(ctx.deps, ctx.actor, input.id)),
  create: scopedProcedure('user:create')
    .input(
      z.object({
        email: emailSchema,
        name: nameSchema,
        role: assignableRole.default('user'),
        password: passwordSchema.optional(),
        generatePassword: z.boolean().optional(),
        mustChangePassword: z.boolean().optional(),
        quotaGiB: quotaGiBSchema.optional(),
        storageLabel: storageLabel.optional(),
      }),
    )
    .output(createdUserSchema).mutation(({ ctx, input }) => createUser(ctx.deps, ctx.actor, input)),
  // Changing `role` also needs user:changeRole (assertMayGrantRole in core).
  update: scopedProcedure('user:update', { fieldScopes: { role: 'user:changeRole' } })
    .input(
      z.object({
        id: idSchema,
        name: nameSchema.optional(),
        email: emailSchema.optional(),
        role: assignableRole.optional(),
        avatarUrl: avatarUrlSchema.optional(),
        quotaGiB: quotaGiBSchema.optional(),
        storageLabel: storageLabel.optional(),
        mustChangePassword: z.boolean().optional(),
      }),
    )
    .output(adminUserSchema).mutation(({ ctx, input }) => {
      checkAvatarOrigin(input.avatarUrl, instanceOrigins(ctx.req));
      return updateUser(ctx.deps, ctx.actor, input);
    }),
  resetPassword: scopedProcedure('user:resetPassword')
    .input(byId)
    .output(passwordSchemaOut).mutation(({ ctx, input }) => resetPassword(ctx.deps, ctx.actor, input.id)),
  suspend: scopedProcedure('user:suspend')
    .input(
      z.object({
        id: idSchema,
        reason: z.string().trim().min(1, 'Give a reason').max(500),
        until: z.iso.datetime({ offset: true }).pipe(z.coerce.date()).nullable().optional(),
      }),
    )
    .output(adminUserSchema).mutation(({ ctx, input }) => suspendUser(ctx.deps, ctx.actor, input)),
  unsuspend: scopedProcedure('user:suspend')
    .input(byId)
    .output(adminUserSchema).mutation(({ ctx, input }) => unsuspendUser(ctx.deps, ctx.actor, input.id)),
  sessions: scopedProcedure('user:sessions')
    .input(byId)
    .output(z.array(sessionSchema)).query(({ ctx, input }) => adminListSessions(ctx.deps, ctx.actor, input.id)),
  revokeSession: scopedProcedure('user:sessions')
    .input(z.object({ sessionId: sessionIdSchema }))
    .output(revokedSessionSchema).mutation(({ ctx, input }) => adminRevokeSession(ctx.deps, ctx.actor, input.sessionId)),
  revokeAllSessions: scopedProcedure('user:sessions')
    .input(byId)
    .output(revokedAllSchema).mutation(({ ctx, input }) => revokeAllSessions(ctx.deps, ctx.actor, input.id)),
  transferOwnership: scopedProcedure('owner:transfer')
    .input(z.object({ id: idSchema, password: z.string().min(1).max(256) }))
    .output(transferSchema).mutation(async ({ ctx, input }) => {
      const done = await transferOwnership(ctx.deps, ctx.actor, input);
      // The previous owner is now an admin: this session continues under a new token (the others rotate at their next request).
      await rotateOwnSession(ctx);
      return done;
    }),
};
