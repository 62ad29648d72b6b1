import { serverStatsSchema } from '../../outputs/admin.ts';
import { getServerStats } from '@roster/core';
import { z } from 'zod';
import { scopedProcedure } from '../../procedures.ts';
import { t } from '../../trpc.ts';

/** Server statistics: usage per user (largest first, paged) and totals over everyone. */
export const adminStatsRouter = t.router({
  get: scopedProcedure('storage:stats')
    .input(
      z
        .object({ page: z.number().int().min(1).default(1), pageSize: z.number().int().min(1).max(500).default(100) })
        .default({ page: 1, pageSize: 100 }),
    )
    .output(serverStatsSchema).query(({ ctx, input }) => getServerStats(ctx.deps, input)),
});
