import { expireDueMemberships, MEMBERSHIP_EXPIRE_JOB, membershipExpireJobId, membershipsEndingWithin } from '@roster/core';
import type { EntityManager } from '@roster/db';
import type { Queue } from 'bullmq';

/** A queued expiry this close to the row's time is right. */
const DUE_SLACK_MS = 1_000;

/**
 * The outbox relay for time-boxed memberships, on the deletion sweeps'
 * timer: memberships already past their expiry (their job lost with Redis,
 * or never queued) are removed and audited now; those ending before the
 * next pass get a delayed job if they have none that is due then.
 */
export async function sweepMemberships(deps: { em: EntityManager; queue: Queue }, windowMs: number): Promise<{ expired: number; queued: number }> {
  const expired = await expireDueMemberships(deps);
  let queued = 0;
  const now = Date.now();
  for (const m of await membershipsEndingWithin(deps, windowMs)) {
    const jobId = membershipExpireJobId(m.groupId, m.userId);
    const job = await deps.queue.getJob(jobId);
    if (job) {
      const state = await job.getState();
      const rightTime = state !== 'delayed' || Math.abs(job.timestamp + (job.delay ?? 0) - (now + m.dueInMs)) <= DUE_SLACK_MS;
      if (state !== 'completed' && state !== 'failed' && rightTime) continue;
      await job.remove();
    }
    await deps.queue.add(MEMBERSHIP_EXPIRE_JOB, { groupId: m.groupId, userId: m.userId }, { jobId, delay: m.dueInMs });
    queued += 1;
  }
  return { expired, queued };
}
