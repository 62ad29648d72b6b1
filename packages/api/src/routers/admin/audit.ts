import { auditPageSchema, auditVerifySchema } from '../../outputs/admin.ts';
import { listAudit, verifyChain } from '@roster/core';
import { z } from 'zod';
import { scopedProcedure } from '../../procedures.ts';
import { t } from '../../trpc.ts';

const id = z.uuid();
const listInput = z
  .object({
    page: z.number().int().min(1).max(100_000).default(1),
    pageSize: z.number().int().min(1).max(500).default(50),
    actorId: id.optional(),
    targetId: id.optional(),
    /** An exact action, or a prefix ending in `.` (`user.`). */
    action: z.string().trim().min(1).max(100).optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    beforeId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();

/** Reading the audit log is itself not audited: it changes nothing (verify only links events already written). */
export const adminAuditRouter = t.router({
  list: scopedProcedure('audit:read')
    .input(listInput)
    .output(auditPageSchema).query(({ ctx, input }) => listAudit(ctx.deps.em, input)),
  verify: scopedProcedure('audit:read').output(auditVerifySchema).query(({ ctx }) => verifyChain(ctx.deps.em)),
});
