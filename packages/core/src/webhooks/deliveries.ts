import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isoDateSchema } from '../output.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { findEndpoint } from './endpoints.ts';
import { WEBHOOK_TEST_EVENT } from './events.ts';

export const webhookDeliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  event: z.string(),
  status: z.enum(['pending', 'queued', 'succeeded', 'failed']),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  occurredAt: isoDateSchema,
  createdAt: isoDateSchema,
  lastAttemptAt: isoDateSchema.nullable(),
  deliveredAt: isoDateSchema.nullable(),
  replayOf: z.string().nullable(),
});
export type WebhookDeliveryDto = z.infer<typeof webhookDeliverySchema>;

export type DeliveryRow = {
  id: string; endpoint_id: string; event: string; occurred_at: Date; data: Record<string, unknown>;
  status: WebhookDeliveryDto['status']; attempts: number; last_status_code: number | null; last_error: string | null;
  created_at: Date; last_attempt_at: Date | null; delivered_at: Date | null; replay_of: string | null;
};
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const toDto = (r: DeliveryRow): WebhookDeliveryDto => ({
  id: r.id,
  endpointId: r.endpoint_id,
  event: r.event,
  status: r.status,
  attempts: r.attempts,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  occurredAt: iso(r.occurred_at)!,
  createdAt: iso(r.created_at)!,
  lastAttemptAt: iso(r.last_attempt_at),
  deliveredAt: iso(r.delivered_at),
  replayOf: r.replay_of,
});

/** An endpoint's delivery log, newest first. */
export async function listDeliveries(deps: CoreDeps, input: { id: string; page: number; pageSize: number }) {
  await findEndpoint(deps.em, input.id);
  const [rows, [count]] = await Promise.all([
    deps.em.execute<DeliveryRow[]>(
      `select * from webhook_deliveries where endpoint_id = ? order by created_at desc, id limit ? offset ?`,
      [input.id, input.pageSize, (input.page - 1) * input.pageSize],
    ),
    deps.em.execute<{ n: string }[]>(`select count(*) as n from webhook_deliveries where endpoint_id = ?`, [input.id]),
  ]);
  return { items: rows.map(toDto), total: Number(count!.n) };
}

async function insertDelivery(deps: CoreDeps, actor: Actor, action: string, values: { endpointId: string; event: string; occurredAt: Date; data: object; replayOf?: string }) {
  const id = randomUUID();
  const row = await deps.em.transactional(async (em) => {
    const [r] = await em.execute<DeliveryRow[]>(
      `insert into webhook_deliveries (id, endpoint_id, event, occurred_at, data, replay_of) values (?, ?, ?, ?, ?, ?) returning *`,
      [id, values.endpointId, values.event, values.occurredAt, JSON.stringify(values.data), values.replayOf ?? null],
    );
    recordAudit(em, { actorId: actor.id, action, details: { webhookId: values.endpointId, deliveryId: id, replayOf: values.replayOf ?? null } });
    return r!;
  });
  return toDto(row);
}

/** Sends the same event again as a new delivery (new id, fresh attempts); the original stays in the log. */
export async function replayDelivery(deps: CoreDeps, actor: Actor, deliveryId: string): Promise<WebhookDeliveryDto> {
  const [orig] = await deps.em.execute<DeliveryRow[]>(`select * from webhook_deliveries where id = ?`, [deliveryId]);
  if (!orig) throw new AppError('NOT_FOUND', 'Delivery not found');
  return insertDelivery(deps, actor, 'webhook.replay', {
    endpointId: orig.endpoint_id,
    event: orig.event,
    occurredAt: orig.occurred_at,
    data: orig.data,
    replayOf: orig.id,
  });
}

/** A `webhook.test` event through the same outbox, relay and signing as real ones (even to a disabled endpoint). */
export async function testWebhook(deps: CoreDeps, actor: Actor, id: string): Promise<WebhookDeliveryDto> {
  await findEndpoint(deps.em, id);
  return insertDelivery(deps, actor, 'webhook.test', {
    endpointId: id,
    event: WEBHOOK_TEST_EVENT,
    occurredAt: deps.clock.now(),
    data: { webhookId: id, message: 'A test event from Roster' },
  });
}
