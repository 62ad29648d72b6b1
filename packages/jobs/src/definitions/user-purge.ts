import { loadEnv } from '@roster/config';
import { AppError, PURGE_JOB, PurgeBusyError, purgeUser, recordPurgeFailure } from '@roster/core';
import { DelayedError, UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { defineJob } from '../definition.ts';
import { workerCoreDeps } from './user-core-deps.ts';

let env: { ROSTER_PURGE_STEP_DELAY_MS: number; ROSTER_JOB_LOCK_MS: number } | undefined;

/**
 * Purges one deleted user when due (jobId `user.purge.<id>`, queued by
 * core's queuePurge and by the sweeper). The processor trusts only the
 * database: restored → nothing; already purged → nothing; due later than
 * this job (a stale job from an earlier deletion) → the job waits until
 * then. Other errors throw, so BullMQ's attempts and backoff apply.
 */
export const userPurge = defineJob({
  name: PURGE_JOB,
  payload: z.object({ userId: z.uuid() }),
  async process(deps, { userId }, job) {
    env ??= loadEnv();
    let res;
    try {
      // The purge's lease lasts as long as the job's lock: both lapse together when a worker dies.
      const opts = { log: deps.log, leaseMs: env.ROSTER_JOB_LOCK_MS, stepDelayMs: env.ROSTER_PURGE_STEP_DELAY_MS };
      res = await purgeUser(workerCoreDeps(deps), userId, opts);
    } catch (err) {
      // Retrying cannot fix a bad transfer target; the admin must act (see purge-claim.ts). Recorded once.
      if (err instanceof AppError && err.code === 'TRANSFER_TARGET_INVALID') {
        await recordPurgeFailure(workerCoreDeps(deps), userId, 'user.purge.blocked', err.message);
        throw new UnrecoverableError(err.message);
      }
      // Out of retries: marked on the row and audited once, so the sweeps stop queueing it again every pass.
      const last = job.attemptsMade + 1 >= (job.opts?.attempts ?? 1);
      if (last && !(err instanceof PurgeBusyError)) {
        const message = (err as Error).message;
        await recordPurgeFailure(workerCoreDeps(deps), userId, 'user.purge.failed', message, { attempts: job.attemptsMade + 1 });
        deps.log(`purge of ${userId} failed for good: ${message}; recorded, the sweeps leave it until restore or purge-now`);
      }
      throw err;
    }
    if (res.outcome === 'not-due' && job.moveToDelayed) {
      // The delay comes from the database's clock; BullMQ counts it from this process's.
      await job.moveToDelayed(Date.now() + res.dueInMs, job.token);
      throw new DelayedError();
    }
    return res;
  },
});
