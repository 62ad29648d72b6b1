import { bulkMembersResultSchema, groupMemberSchema, groupSchema, isoDateSchema, pageOf, RUNNABLE_JOB_NAMES, webhookEndpointSchema, WEBHOOK_EVENTS } from '@roster/core';
import { z } from 'zod';

/** Answers of the admin areas besides users (see users.ts for why each is a whole z.object). */
export const groupDeletedSchema = z.object({ id: z.string(), removedMemberships: z.number().int() });

export const catalogueSchema = z.object({
  items: z.array(z.object({ key: z.string(), label: z.string(), area: z.string(), default: z.boolean() })),
});

export const serverStatsSchema = z.object({
  users: z.array(
    z.object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      role: z.string(),
      status: z.string(),
      files: z.number().int(),
      usageBytes: z.number(),
      quotaBytes: z.number().nullable(),
      usagePercent: z.number().nullable(),
    }),
  ),
  totals: z.object({ users: z.number().int(), files: z.number().int(), usageBytes: z.number() }),
});

const count = z.number().int();
export const jobCountsSchema = z.object({
  jobs: z.array(z.object({ name: z.string(), waiting: count, active: count, completed: count, failed: count, delayed: count })),
});
export const jobStartedSchema = z.object({ name: z.enum(RUNNABLE_JOB_NAMES), job: z.string(), jobId: z.string() });
export const jobStatusSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  progress: z.object({ done: count, total: count }),
  results: z.array(
    z.object({
      id: z.string(),
      email: z.string().nullable(),
      outcome: z.enum(['done', 'failed', 'skipped']),
      code: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
  summary: z.object({ total: count, done: count, failed: count, skipped: count, truncated: z.boolean() }).optional(),
  failedReason: z.string().optional(),
});

export const notificationSchema = z.object({
  id: z.string(),
  userId: z.string(),
  kind: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()),
  readAt: isoDateSchema.nullable(),
  createdAt: isoDateSchema,
});
export const adminNotificationsPageSchema = pageOf(
  notificationSchema.extend({ user: z.object({ id: z.string(), email: z.string(), name: z.string() }) }),
);

export const holdsSchema = z.array(
  z.object({ kind: z.enum(['account', 'ip']), key: z.string(), until: isoDateSchema, user: z.object({ id: z.string(), name: z.string() }).nullable() }),
);
export const releasedSchema = z.object({ released: z.literal(true) });

export const auditPageSchema = pageOf(
  z.object({
    id: z.number().int(),
    seq: z.number().int().nullable(),
    at: isoDateSchema,
    actorId: z.string().nullable(),
    actorName: z.string().nullable(),
    actorEmail: z.string().nullable(),
    action: z.string(),
    targetId: z.string().nullable(),
    targetName: z.string().nullable(),
    targetEmail: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  }),
);
export const auditVerifySchema = z.object({
  ok: z.boolean(),
  checked: count,
  head: z.object({ seq: count, hash: z.string() }),
  problem: z
    .object({ kind: z.enum(['removed', 'edited', 'inserted']), seq: count, id: count.nullable(), message: z.string() })
    .optional(),
});

export const createdWebhookSchema = webhookEndpointSchema.extend({ secret: z.string() });
export const webhookListSchema = z.object({ items: z.array(webhookEndpointSchema), events: z.array(z.enum(WEBHOOK_EVENTS)) });
export const idOnlySchema = z.object({ id: z.string() });

export const myGroupsSchema = z.object({
  items: z.array(
    groupSchema.pick({ id: true, name: true, description: true, memberCount: true }).extend({
      manager: z.boolean(),
      expiresAt: isoDateSchema.nullable(),
      members: z.array(groupMemberSchema).optional(),
    }),
  ),
});
export const groupListSchema = z.object({ items: z.array(groupSchema) });
export const setManagersSchema = bulkMembersResultSchema.extend({ managers: z.array(z.string()) });
