import { expireMembership, MEMBERSHIP_EXPIRE_JOB } from '@roster/core';
import { DelayedError } from 'bullmq';
import { z } from 'zod';
import { defineJob } from '../definition.ts';

/**
 * Ends one time-boxed membership when due (jobId
 * `group.membership.expire.<groupId>.<userId>`, queued by core's
 * addMembers and by the sweep). The row decides: expired → removed and
 * audited; gone or made permanent → nothing; moved later → the job waits.
 */
export const groupMembershipExpire = defineJob({
  name: MEMBERSHIP_EXPIRE_JOB,
  payload: z.object({ groupId: z.uuid(), userId: z.uuid() }),
  async process(deps, { groupId, userId }, job) {
    const res = await expireMembership(deps, groupId, userId);
    if (res.outcome === 'not-due' && job.moveToDelayed) {
      await job.moveToDelayed(Date.now() + res.dueInMs, job.token);
      throw new DelayedError();
    }
    return res;
  },
});
