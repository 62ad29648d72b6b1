import type { JobCounts } from '@roster/core';
import type { JobType, Queue } from 'bullmq';
import { jobDefinitions } from './registry.ts';

const STATES: Record<Exclude<keyof JobCounts, 'name'>, JobType[]> = {
  waiting: ['waiting', 'prioritized', 'waiting-children'],
  active: ['active'],
  completed: ['completed'],
  failed: ['failed'],
  delayed: ['delayed'],
};
/** Finished jobs are already capped by removeOnComplete/removeOnFail; this bounds a flood of waiting ones. */
const PER_STATE_LIMIT = 10_000;

/**
 * Read-only counts per job name (BullMQ counts per queue only, and every job
 * shares the one `roster` queue). Every registered job is listed, with zeros
 * when it has none.
 */
export async function jobCounts(queue: Queue): Promise<JobCounts[]> {
  const byName = new Map<string, JobCounts>();
  const entry = (name: string) => {
    let c = byName.get(name);
    if (!c) byName.set(name, (c = { name, waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 }));
    return c;
  };
  for (const def of jobDefinitions) entry(def.name);
  for (const [state, types] of Object.entries(STATES) as [keyof typeof STATES, JobType[]][]) {
    const jobs = await queue.getJobs(types, 0, PER_STATE_LIMIT - 1);
    for (const job of jobs) if (job?.name) entry(job.name)[state]++;
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
