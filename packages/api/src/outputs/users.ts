import { adminUserSchema, isoDateSchema, OFFERED_USER_ACTIONS, pageOf, publicUserSchema } from '@roster/core';
import { z } from 'zod';

/**
 * Answers of `admin.users.*` that are more than one of core's DTOs. Each
 * schema is the whole contract of its procedure: z.object drops any key not
 * named here, so nothing leaves the server by accident.
 */
export const userWithGroupsPageSchema = pageOf(
  adminUserSchema.extend({ groups: z.array(z.object({ id: z.string(), name: z.string() })).optional() }),
).extend({ totalEstimated: z.literal(true).optional() });

export const userDetailSchema = adminUserSchema.extend({
  may: z.object({
    resetPassword: z.boolean(),
    suspend: z.boolean(),
    delete: z.boolean(),
    revokeSessions: z.boolean(),
    update: z.boolean(),
    files: z.boolean(),
    changeRole: z.boolean(),
    changeCredentials: z.boolean(),
    readSessions: z.boolean(),
  }),
  /** Which buttons to offer, from core's table (exhaustive: zod 4 requires every key of an enum record). */
  actions: z.record(z.enum(OFFERED_USER_ACTIONS), z.boolean()),
});

export const createdUserSchema = z.object({ user: adminUserSchema, generatedPassword: z.string().optional() });
export const userResultSchema = z.object({ user: adminUserSchema });
export const deletedUserSchema = z.object({ user: adminUserSchema, queued: z.boolean() });
export const passwordSchemaOut = z.object({ password: z.string() });
export const transferSchema = z.object({ newOwner: adminUserSchema, previousOwner: adminUserSchema });
export const resetLinkSchema = z.object({ token: z.string(), path: z.string(), expiresAt: isoDateSchema });

export const deletionPreviewSchema = z.object({
  id: z.string(),
  status: adminUserSchema.shape.status,
  purgeAt: isoDateSchema,
  purgeStartedAt: isoDateSchema.nullable(),
  counts: z.record(z.string(), z.number()),
  delayDays: z.number(),
  transferTo: publicUserSchema.nullable(),
});

const refusal = z.object({ id: z.string(), email: z.string().nullable(), code: z.string(), message: z.string() });
export const bulkPreviewSchema = z.object({ total: z.number().int(), allowed: z.number().int(), refused: z.array(refusal), refusedCount: z.number().int() });
export const bulkStartedSchema = bulkPreviewSchema.extend({ jobId: z.string() });

const importRowStatus = z.enum(['imported', 'valid', 'skipped', 'invalid']);
export const importStatusSchema = z.object({
  id: z.string(),
  jobId: z.string(),
  fileName: z.string(),
  dryRun: z.boolean(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  totalRows: z.number().int().nullable(),
  processedRows: z.number().int(),
  counts: z.object({ imported: z.number().int(), valid: z.number().int(), skipped: z.number().int(), invalid: z.number().int() }),
  error: z.object({ code: z.string(), message: z.string(), row: z.number().int().nullable() }).nullable(),
  createdAt: isoDateSchema,
  finishedAt: isoDateSchema.nullable(),
  report: z.object({
    items: z.array(
      z.object({ row: z.number().int(), email: z.string().nullable(), status: importRowStatus, code: z.string().nullable(), message: z.string().nullable() }),
    ),
    total: z.number().int(),
    offset: z.number().int(),
  }),
});

const groupRef = z.object({ id: z.string(), name: z.string() });
const permissionSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('role'), role: z.enum(['owner', 'admin']) }),
  z.object({ kind: z.literal('inactive') }),
  z.object({ kind: z.literal('default') }),
  z.object({ kind: z.literal('group'), groups: z.array(groupRef) }),
  z.object({ kind: z.literal('denied'), groups: z.array(groupRef) }),
]);
export const permissionSourcesSchema = z.object({
  userId: z.string(),
  items: z.array(
    z.object({ key: z.string(), label: z.string(), area: z.string(), defaultValue: z.boolean(), allowed: z.boolean(), source: permissionSource }),
  ),
});

export const userGroupsSchema = z.object({
  userId: z.string(),
  items: z.array(z.object({ id: z.string(), name: z.string(), manager: z.boolean(), expiresAt: isoDateSchema.nullable(), addedAt: isoDateSchema })),
});
export const revokedSessionSchema = z.object({ userId: z.string() });
export const revokedAllSchema = z.object({ revoked: z.number().int() });
