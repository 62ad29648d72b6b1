import { importStatusSchema } from '../../outputs/users.ts';
import { idSchema, importStatus } from '@roster/core';
import { z } from 'zod';
import { scopedProcedure } from '../../procedures.ts';

/** CSV imports start at `POST /api/users/import` (http/users-import.ts); this reads their progress and report. */
export const userImportProcedures = {
  importStatus: scopedProcedure('user:create')
    .input(
      z.object({
        jobId: idSchema,
        offset: z.number().int().min(0).max(10_000_000).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      }),
    )
    .output(importStatusSchema).query(({ ctx, input }) => importStatus(ctx.deps, input)),
};
