import { adminUserSchema, isoDateSchema, KEY_SCOPES, pageOf, permissionValuesOutSchema } from '@roster/core';
import { z } from 'zod';
import { notificationSchema } from './admin.ts';

/** Answers of `setup.*`, `auth.*`, `me.*` and the other signed-in areas (see users.ts for why each is a whole z.object). */
export const setupStatusSchema = z.object({ hasOwner: z.boolean(), tokenRequired: z.boolean() });
export const publicOptionsSchema = z.object({ signupEnabled: z.boolean(), passwordMinLength: z.number().int() });
export const signedInSchema = z.object({ user: adminUserSchema, expiresAt: isoDateSchema });
export const resetLinkPreviewSchema = z.object({ email: z.string(), expiresAt: isoDateSchema });
export const emailOnlySchema = z.object({ email: z.string() });

export const permissionsSchema = z.object({ permissions: permissionValuesOutSchema });
export const userPermissionsSchema = z.object({ userId: z.string(), permissions: permissionValuesOutSchema });
/** A user's own JSON document (settings, info): any JSON object, capped in size on the way in. */
export const jsonDocumentSchema = z.record(z.string(), z.unknown());
export const statusSchema = z.object({ emoji: z.string().nullable(), message: z.string().nullable(), expiresAt: isoDateSchema.nullable() });
export const keyScopesSchema = z.object({ scopes: z.array(z.enum(KEY_SCOPES)) });

export const fileDeletedSchema = z.object({ id: z.string(), freedBytes: z.number(), usageBytes: z.number().nullable() });
export const storageUsageSchema = z.object({
  userId: z.string(),
  files: z.number().int(),
  usageBytes: z.number(),
  quotaBytes: z.number().nullable(),
  usagePercent: z.number().nullable(),
});

export const notificationsPageSchema = pageOf(notificationSchema).extend({ unread: z.number().int() });
export const markedReadSchema = z.object({ updated: z.number().int() });
