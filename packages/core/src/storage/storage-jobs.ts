import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps, JobCounts } from '../deps.ts';
import { onStorageLabelChanged } from '../users/update-user.ts';
import { SWEEP_ORPHANS_JOB } from './sweep-orphans.ts';

export const STORAGE_MIGRATE_JOB = 'storage.migrate';
export const RECALCULATE_USAGE_JOB = 'storage.recalculateUsage';
// BullMQ refuses `:` in custom job ids, hence `storage.migrate.<userId>`.
export const storageMigrateJobId = (userId: string) => `${STORAGE_MIGRATE_JOB}.${userId}`;

/** Jobs an admin can start by name (web Jobs page, `roster jobs run NAME`), each over all users' storage. */
export const RUNNABLE_JOBS = {
  'storage-migration': { job: STORAGE_MIGRATE_JOB, jobId: `${STORAGE_MIGRATE_JOB}.all` },
  'recalculate-usage': { job: RECALCULATE_USAGE_JOB, jobId: `${RECALCULATE_USAGE_JOB}.all` },
  'sweep-orphans': { job: SWEEP_ORPHANS_JOB, jobId: `${SWEEP_ORPHANS_JOB}.all` },
} as const;
export type RunnableJob = keyof typeof RUNNABLE_JOBS;
export const RUNNABLE_JOB_NAMES = Object.keys(RUNNABLE_JOBS) as [RunnableJob, ...RunnableJob[]];

export async function runJob(deps: CoreDeps, actor: Actor, name: RunnableJob) {
  const { job, jobId } = RUNNABLE_JOBS[name];
  await deps.jobs.enqueue(job, {}, { jobId });
  recordAudit(deps.em, { actorId: actor.id, action: 'jobs.run', details: { name, job } });
  await deps.em.flush();
  return { name, job, jobId };
}

/** Counts per job name from the queue; names without jobs are left out by the queue, so the caller's list is the union. */
export async function listJobCounts(deps: CoreDeps): Promise<{ jobs: JobCounts[] }> {
  return { jobs: (await deps.jobs.counts?.()) ?? [] };
}

/**
 * A committed label change moves the user's files (Immich's storage
 * migration). If Redis is down the change still stands: the files are found
 * out of place by the next `storage-migration` run (it is also scheduled daily).
 */
onStorageLabelChanged(async (deps, userId) => {
  try {
    await deps.jobs.enqueue(STORAGE_MIGRATE_JOB, { userId }, { jobId: storageMigrateJobId(userId) });
  } catch (err) {
    console.warn(`storage: could not enqueue the migration for ${userId}; the daily sweep will move the files`, err);
  }
});
