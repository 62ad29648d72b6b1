import { WEBHOOK_DELIVER_JOB } from '@roster/core';
import type { EntityManager } from '@roster/db';
import type { Queue } from 'bullmq';

export interface WebhookRetryPolicy {
  /** BullMQ attempts per delivery (ROSTER_WEBHOOK_ATTEMPTS). */
  attempts: number;
  /** Base of the exponential backoff (ROSTER_WEBHOOK_BACKOFF_MS): base, 2×base, 4×base… */
  backoffMs: number;
}

const BATCH = 200;
/** A queued delivery untouched this long may have lost its job with Redis; the sweep looks it up. */
const STALE_SQL = `status = 'queued' and coalesce(last_attempt_at, relayed_at) < now() - interval '10 minutes'`;

const add = (queue: Queue, id: string, policy: WebhookRetryPolicy) =>
  queue.add(WEBHOOK_DELIVER_JOB, { deliveryId: id }, {
    jobId: id,
    attempts: policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs },
  });

/**
 * The outbox relay: due deliveries become `webhook.deliver` jobs. The job is
 * added before the row is marked queued and its id is the delivery's, so a
 * relay that dies in between, or two relays at once, queue it once.
 */
export async function relayWebhooks(deps: { em: EntityManager; queue: Queue }, policy: WebhookRetryPolicy): Promise<number> {
  const rows = await deps.em.execute<{ id: string }[]>(
    `select id from webhook_deliveries where status = 'pending' order by created_at limit ${BATCH}`,
  );
  if (rows.length === 0) return 0;
  await Promise.all(rows.map((r) => add(deps.queue, r.id, policy)));
  await deps.em.execute(
    `update webhook_deliveries set status = 'queued', relayed_at = now() where status = 'pending' and id in (${rows.map(() => '?').join(', ')})`,
    rows.map((r) => r.id),
  );
  return rows.length;
}

/** The safety net, with the deletion sweep's pattern: queued rows whose job Redis no longer has are queued again. */
export async function sweepWebhookJobs(deps: { em: EntityManager; queue: Queue }, policy: WebhookRetryPolicy): Promise<number> {
  const rows = await deps.em.execute<{ id: string }[]>(`select id from webhook_deliveries where ${STALE_SQL} limit ${BATCH}`);
  let requeued = 0;
  for (const r of rows) {
    const job = await deps.queue.getJob(r.id);
    if (job && !['completed', 'failed'].includes(await job.getState())) continue;
    await job?.remove();
    await add(deps.queue, r.id, policy);
    requeued += 1;
  }
  return requeued;
}

/** Polls the outbox every `everyMs` (ROSTER_WEBHOOK_POLL_MS) and sweeps for lost jobs once a minute. */
export function startWebhookRelay(deps: { fork: () => EntityManager; queue: Queue; log: (m: string) => void; everyMs: number; policy: WebhookRetryPolicy }) {
  let running = false;
  let lastSweep = 0;
  const pass = async () => {
    if (running) return;
    running = true;
    try {
      await relayWebhooks({ em: deps.fork(), queue: deps.queue }, deps.policy);
      if (Date.now() - lastSweep > 60_000) {
        lastSweep = Date.now();
        const n = await sweepWebhookJobs({ em: deps.fork(), queue: deps.queue }, deps.policy);
        if (n) deps.log(`webhook sweep: queued ${n} deliveries again`);
      }
    } catch (err) {
      deps.log(`webhook relay failed: ${(err as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void pass(), deps.everyMs);
  void pass();
  return { tick: pass, stop: () => clearInterval(timer) };
}
