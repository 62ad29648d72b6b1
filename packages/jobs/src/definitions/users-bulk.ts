import { AppError, BULK_ACTIONS, BULK_JOB, runBulk, storeSessions } from '@roster/core';
import { UnrecoverableError } from 'bullmq';
import { preparedQuery, type EntityManager } from '@roster/db';
import { z } from 'zod';
import { defineJob } from '../definition.ts';
import { workerCoreDeps } from './user-core-deps.ts';

/**
 * A bulk action (core's startBulk queues it): each user through the single
 * action's use case, progress after every batch, and the per-user results
 * as the job's return value (bounded in core), which admin.jobs.get reads.
 */
export const usersBulk = defineJob({
  name: BULK_JOB,
  payload: z.object({
    actorId: z.uuid(),
    action: z.enum(BULK_ACTIONS),
    args: z.object({
      reason: z.string().max(500).optional(),
      until: z.iso.datetime({ offset: true }).pipe(z.coerce.date()).optional(),
      role: z.enum(['admin', 'user', 'pending']).optional(),
      quotaGiB: z.number().nullable().optional(),
      immediate: z.boolean().optional(),
    }),
    ids: z.array(z.uuid()).max(100_000),
  }),
  async process(deps, payload, job) {
    // Suspension and "revoke sessions" end sessions: the worker does that through the database, as the web does.
    const prepared = await preparedQuery(deps.orm);
    const forUser = () => {
      const em = deps.orm.em.fork() as EntityManager;
      return { ...workerCoreDeps({ ...deps, em }), sessions: storeSessions(em, prepared) };
    };
    try {
      return await runBulk(forUser, payload, async (done, total) => {
        await job.updateProgress?.({ done, total });
      });
    } catch (err) {
      // The actor may no longer act (demoted, suspended): retrying cannot change that.
      if (err instanceof AppError) throw new UnrecoverableError(err.message);
      throw err;
    }
  },
});
