import type { Clock } from '@roster/core';
import { PURGE_JOB, purgeJobId } from '@roster/core';
import type { EntityManager } from '@roster/db';
import type { Queue } from 'bullmq';

type Row = { id: string; purge_at: Date; purge_started_at: Date | null };
export interface SweepResult {
  deleted: number;
  queued: number;
  requeued: number;
}

const BATCH = 500;
/** A queued job due this close to purge_at is right (queueing takes a few ms after purge_at was computed). */
const DUE_SLACK_MS = 1_000;

/**
 * The outbox relay for deletions: every deleted user (due or scheduled, or
 * begun and cut short) gets a purge job if it has none, or if its job
 * failed, finished without purging, or is due at another time than the row
 * says. Jobs that are waiting or running are left alone, so running it
 * often, or from several workers at once, is harmless.
 */
export async function sweepDeletions(deps: { em: EntityManager; queue: Queue; clock: Clock }): Promise<SweepResult> {
  const result: SweepResult = { deleted: 0, queued: 0, requeued: 0 };
  let after: Row | null = null;
  for (;;) {
    const rows: Row[] = await deps.em.execute<Row[]>(
      `select id, purge_at, purge_started_at from users
        where status = 'deleted' ${after ? 'and (purge_at, id) > (?, ?)' : ''}
        order by purge_at, id limit ${BATCH}`,
      after ? [after.purge_at, after.id] : [],
    );
    if (rows.length === 0) return result;
    const now = deps.clock.now().getTime();
    const outcomes = await Promise.all(rows.map((r) => ensureJob(deps.queue, r, now)));
    result.deleted += rows.length;
    for (const o of outcomes) if (o !== 'present') result[o] += 1;
    after = rows[rows.length - 1]!;
  }
}

async function ensureJob(queue: Queue, row: Row, now: number): Promise<'queued' | 'requeued' | 'present'> {
  const jobId = purgeJobId(row.id);
  const dueAt = row.purge_started_at ? now : new Date(row.purge_at).getTime();
  const job = await queue.getJob(jobId);
  let outcome: 'queued' | 'requeued' = 'queued';
  if (job) {
    const state = await job.getState();
    const wrongTime = state === 'delayed' && Math.abs(job.timestamp + (job.delay ?? 0) - dueAt) > DUE_SLACK_MS;
    if (state !== 'completed' && state !== 'failed' && !wrongTime) return 'present';
    await job.remove();
    outcome = 'requeued';
  }
  await queue.add(PURGE_JOB, { userId: row.id }, { jobId, delay: Math.max(0, dueAt - now) });
  return outcome;
}

/**
 * Sweeps when the worker starts and again whenever its Redis connection
 * comes back (a request made while Redis was down left only the row), so
 * such a purge waits for Redis rather than for the next cron run.
 */
export async function startDeletionSweeps(deps: {
  fork: () => EntityManager;
  queue: Queue;
  clock: Clock;
  log: (message: string) => void;
}): Promise<void> {
  let running: Promise<void> | null = null;
  const sweep = (why: string) => {
    running ??= sweepDeletions({ em: deps.fork(), queue: deps.queue, clock: deps.clock })
      .then((r) => deps.log(`deletion sweep (${why}): ${JSON.stringify(r)}`))
      .catch((err: Error) => deps.log(`deletion sweep (${why}) failed: ${err.message}`))
      .finally(() => (running = null));
    return running;
  };
  const client = await deps.queue.getBackend().client;
  client.on('ready', () => void sweep('redis reconnected'));
  await sweep('worker start');
}
