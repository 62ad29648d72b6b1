import { PURGE_JOB, purgeJobId } from '@roster/core';
import type { EntityManager } from '@roster/db';
import type { Queue } from 'bullmq';
import { sweepMemberships } from './membership-sweep.ts';
import { ensureSchedules } from './schedules.ts';

/** `due_in_ms` is measured by the database's clock, like every due time and lease. */
type Row = { id: string; cursor: string; due_in_ms: string; started: boolean };
export interface SweepResult {
  deleted: number;
  queued: number;
  requeued: number;
}

const BATCH = 500;
/** A queued job due this close to purge_at is right (queueing takes a few ms after the delay was read). */
const DUE_SLACK_MS = 1_000;

/**
 * The rows a sweep looks at: deleted and not failed for good, optionally
 * only those due within `secs`. Ordered along users_purge_at (purge_at
 * where status = 'deleted'), so the due sweep reads only the rows it
 * returns; the cursor is purge_at as text, exact to the microsecond.
 */
export const SWEEP_SQL = (opts: { dueWithin: boolean; after: boolean }) =>
  `select id, purge_at::text as cursor, purge_started_at is not null as started,
          greatest(0, ceil(extract(epoch from purge_at - now()) * 1000)) as due_in_ms
     from users
    where status = 'deleted' and purge_failed_at is null
      ${opts.dueWithin ? 'and purge_at <= now() + make_interval(secs => ?)' : ''}
      ${opts.after ? 'and (purge_at, id) > (?::timestamptz, ?::uuid)' : ''}
    order by purge_at, id limit ${BATCH}`;

/**
 * The outbox relay for deletions: every deleted user (due or scheduled, or
 * begun and cut short) gets a purge job if it has none, or if its job
 * failed, finished without purging, or is due at another time than the row
 * says. Jobs that are waiting or running are left alone, so running it
 * often, or from several workers at once, is harmless. A row whose purge
 * failed for good (purge_failed_at) is left alone: it was audited once, and
 * restore or purge-now clears it. With `dueWithinMs`, only rows due by then
 * (the short periodic sweep).
 */
export async function sweepDeletions(deps: { em: EntityManager; queue: Queue }, opts: { dueWithinMs?: number } = {}): Promise<SweepResult> {
  const result: SweepResult = { deleted: 0, queued: 0, requeued: 0 };
  const dueWithin = opts.dueWithinMs !== undefined;
  let after: Row | null = null;
  for (;;) {
    const params: unknown[] = [...(dueWithin ? [opts.dueWithinMs! / 1000] : []), ...(after ? [after.cursor, after.id] : [])];
    const rows: Row[] = await deps.em.execute<Row[]>(SWEEP_SQL({ dueWithin, after: !!after }), params);
    if (rows.length === 0) return result;
    const now = Date.now(); // BullMQ measures delays with this process's clock; the row's due time is a delay from the database
    const outcomes = await Promise.all(rows.map((r) => ensureJob(deps.queue, r, now)));
    result.deleted += rows.length;
    for (const o of outcomes) if (o !== 'present') result[o] += 1;
    if (rows.length < BATCH) return result;
    after = rows[rows.length - 1]!;
  }
}

async function ensureJob(queue: Queue, row: Row, now: number): Promise<'queued' | 'requeued' | 'present'> {
  const jobId = purgeJobId(row.id);
  const delay = row.started ? 0 : Number(row.due_in_ms);
  const dueAt = now + delay;
  const job = await queue.getJob(jobId);
  let outcome: 'queued' | 'requeued' = 'queued';
  if (job) {
    const state = await job.getState();
    const wrongTime = state === 'delayed' && Math.abs(job.timestamp + (job.delay ?? 0) - dueAt) > DUE_SLACK_MS;
    if (state !== 'completed' && state !== 'failed' && !wrongTime) return 'present';
    await job.remove();
    outcome = 'requeued';
  }
  await queue.add(PURGE_JOB, { userId: row.id }, { jobId, delay });
  return outcome;
}

export interface Sweeps {
  /** One pass now: schedules checked, then the due sweep (or a full one when Redis lost its schedules). */
  tick(why: string): Promise<void>;
  stop(): void;
}

/**
 * The worker's own safety net, on a timer in the process rather than in
 * Redis (a timer kept in Redis is lost with it):
 * - at start, and whenever the Redis connection comes back, a full sweep;
 * - every `everyMs` (ROSTER_DUE_SWEEP_MS, 30 s), a sweep of the rows due
 *   before the next pass, so a purge whose job the web could not queue runs
 *   within a minute rather than at the nightly sweep; it is one index range
 *   scan that finds nothing on most passes;
 * - on every pass, time-boxed group memberships (membership-sweep.ts);
 * - on every pass, the repeat schedules: when Redis lost them (FLUSHALL, a
 *   restart without AOF) it lost the delayed purges too, so they are
 *   registered again and the pass sweeps everything.
 */
export async function startDeletionSweeps(deps: {
  fork: () => EntityManager;
  queue: Queue;
  log: (message: string) => void;
  everyMs?: number;
}): Promise<Sweeps> {
  const everyMs = deps.everyMs ?? 30_000;
  let running: Promise<void> | null = null;
  const pass = async (why: string, full: boolean) => {
    const registered = await ensureSchedules(deps.queue);
    if (registered.length) {
      deps.log(`repeat schedules were missing from Redis (${registered.join(', ')}); registered them again and sweeping every deletion`);
      full = true;
    }
    const em = deps.fork();
    const res = full ? await sweepDeletions({ em, queue: deps.queue }) : await sweepDeletions({ em, queue: deps.queue }, { dueWithinMs: everyMs + 5_000 });
    if (full || res.queued || res.requeued) deps.log(`deletion sweep (${why}): ${JSON.stringify(res)}`);
    // Time-boxed group memberships ride on the same timer: overdue ones go now, those ending before the next pass get their job.
    const members = await sweepMemberships({ em: deps.fork(), queue: deps.queue }, everyMs + 5_000);
    if (members.expired || members.queued) deps.log(`membership sweep (${why}): ${JSON.stringify(members)}`);
  };
  const tick = (why: string, full = false) => {
    running ??= pass(why, full)
      .catch((err: Error) => deps.log(`deletion sweep (${why}) failed: ${err.message}`))
      .finally(() => (running = null));
    return running;
  };
  const client = await deps.queue.getBackend().client;
  const onReady = () => void tick('redis reconnected', true);
  client.on('ready', onReady);
  await ensureSchedules(deps.queue, { force: true });
  await tick('worker start', true);
  const timer = setInterval(() => void tick('due'), everyMs);
  return {
    tick: (why) => tick(why),
    stop() {
      clearInterval(timer);
      client.off('ready', onReady);
    },
  };
}
