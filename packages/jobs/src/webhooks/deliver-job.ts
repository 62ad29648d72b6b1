import { closeDelivery, loadDelivery, recordAttempt, WEBHOOK_DELIVER_JOB, WEBHOOK_TEST_EVENT, webhookBody } from '@roster/core';
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import { defineJob } from '../definition.ts';
import { sendWebhook } from './send.ts';

export const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * One delivery attempt (jobId = delivery id, queued by the relay). The row
 * decides: delivered or endpoint gone → nothing; endpoint disabled → closed
 * unsent. Each attempt is recorded on the row; a failure throws so BullMQ's
 * attempts and exponential backoff apply, except a refused address, which
 * no retry can fix.
 */
export const webhookDeliver = defineJob({
  name: WEBHOOK_DELIVER_JOB,
  payload: z.object({ deliveryId: z.uuid() }),
  async process(deps, { deliveryId }, job) {
    const work = await loadDelivery(deps.em, deliveryId);
    if (!work) return { skipped: 'nothing to send' };
    if (!work.endpoint.enabled && work.event !== WEBHOOK_TEST_EVENT) {
      await closeDelivery(deps.em, deliveryId, 'Endpoint disabled');
      return { skipped: 'endpoint disabled' };
    }
    const res = await sendWebhook({
      url: work.endpoint.url,
      secret: work.endpoint.secret,
      id: work.id,
      body: webhookBody(work),
      allowPrivateNetwork: work.endpoint.allow_private_network,
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      now: deps.clock.now(),
    });
    const last = job.attemptsMade + 1 >= (job.opts?.attempts ?? 1);
    const ok = res.error === null;
    await recordAttempt(deps, work, { ok, statusCode: res.statusCode, error: res.error, final: ok || last || !!res.permanent });
    if (res.permanent) throw new UnrecoverableError(res.error!);
    if (!ok) throw new Error(res.error!);
    return { statusCode: res.statusCode };
  },
});
