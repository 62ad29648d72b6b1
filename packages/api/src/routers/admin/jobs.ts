import { jobCountsSchema, jobStartedSchema, jobStatusSchema } from '../../outputs/admin.ts';
import { getJobStatus, listJobCounts, RUNNABLE_JOB_NAMES, runJob } from '@roster/core';
import { z } from 'zod';
import { scopedProcedure } from '../../procedures.ts';
import { t } from '../../trpc.ts';

/** The jobs page and `roster jobs`: counts per job name, and starting the admin-runnable jobs. */
export const adminJobsRouter = t.router({
  list: scopedProcedure('jobs:manage').output(jobCountsSchema).query(({ ctx }) => listJobCounts(ctx.deps)),
  run: scopedProcedure('jobs:manage')
    .input(z.object({ name: z.enum(RUNNABLE_JOB_NAMES) }))
    .output(jobStartedSchema).mutation(({ ctx, input }) => runJob(ctx.deps, ctx.actor, input.name)),
  /** One job's state, progress and results (a bulk action's per-user outcomes). */
  get: scopedProcedure('jobs:manage')
    .input(z.object({ id: z.string().min(1).max(200) }))
    .output(jobStatusSchema).query(({ ctx, input }) => getJobStatus(ctx.deps, input.id)),
});
