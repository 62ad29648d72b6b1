import { bulkPreviewSchema, bulkStartedSchema } from '../../outputs/users.ts';
import { BULK_ACTIONS, bulkPreview, idSchema, MAX_BULK_SELECTION, quotaGiBSchema, startBulk, type BulkInput } from '@roster/core';
import { ROLES, USER_STATUSES } from '@roster/db';
import { z } from 'zod';
import { scopedProcedure } from '../../procedures.ts';

/** The list's filters (admin.users.list), without paging: "every user matching". */
export const userFilterSchema = z.object({
  query: z.string().trim().max(200).optional(),
  roles: z.array(z.enum(ROLES)).max(4).optional(),
  statuses: z.array(z.enum(USER_STATUSES)).max(3).optional(),
  groupIds: z.array(idSchema).max(50).optional(),
});

const args = z
  .object({
    reason: z.string().trim().min(1, 'Give a reason').max(500).optional(),
    until: z.iso.datetime({ offset: true }).pipe(z.coerce.date()).nullable().optional(),
    role: z.enum(['admin', 'user', 'pending']).optional(),
    quotaGiB: quotaGiBSchema.optional(),
    immediate: z.boolean().optional(),
  })
  .default({});

const bulkInput = z
  .object({
    ids: z.array(idSchema).min(1).max(MAX_BULK_SELECTION).optional(),
    filter: userFilterSchema.optional(),
    action: z.enum(BULK_ACTIONS),
    args,
  })
  .superRefine((v, ctx) => {
    if (!v.ids === !v.filter) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'Give either ids or a filter' });
    if (v.action === 'suspend' && !v.args.reason) ctx.addIssue({ code: 'custom', path: ['args', 'reason'], message: 'Give a reason' });
    if (v.action === 'setRole' && !v.args.role) ctx.addIssue({ code: 'custom', path: ['args', 'role'], message: 'Give the new role' });
    if (v.action === 'setQuota' && v.args.quotaGiB === undefined) ctx.addIssue({ code: 'custom', path: ['args', 'quotaGiB'], message: 'Give the quota (null: none)' });
    if (v.args.until && v.args.until <= new Date()) ctx.addIssue({ code: 'custom', path: ['args', 'until'], message: 'Must be in the future' });
  })
  .transform((v) => v as BulkInput);

/**
 * Actions on a selection. The gate is listing users; each action also needs
 * the scopes of its single procedure (core's BULK_SCOPES), and every
 * per-user rule of the single action applies, in the preview and again in the job.
 */
export const userBulkProcedures = {
  bulkPreview: scopedProcedure('user:list')
    .input(bulkInput)
    .output(bulkPreviewSchema).mutation(async ({ ctx, input }) => {
      const { ids: _ids, ...preview } = await bulkPreview(ctx.deps, ctx.actor, input);
      return preview;
    }),
  bulk: scopedProcedure('user:list')
    .input(bulkInput)
    .output(bulkStartedSchema).mutation(({ ctx, input }) => startBulk(ctx.deps, ctx.actor, input)),
};
