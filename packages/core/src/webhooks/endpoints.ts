import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@roster/db';
import { z } from 'zod';
import { isoDateSchema } from '../output.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { textArrayLiteral } from '../sql-literals.ts';
import { assertDeliverableUrl } from './address-guard.ts';
import { WEBHOOK_EVENTS, type WebhookEvent } from './events.ts';
import { newWebhookSecret } from './signature.ts';

/** An endpoint as admins see it: never its secret (shown once, by create). */
export const webhookEndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  allowPrivateNetwork: z.boolean(),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
  lastSuccessAt: isoDateSchema.nullable(),
  firstFailureAt: isoDateSchema.nullable(),
  disabledReason: z.string().nullable(),
});
export type WebhookEndpointDto = z.infer<typeof webhookEndpointSchema>;

export type EndpointRow = {
  id: string; url: string; events: string[]; enabled: boolean; allow_private_network: boolean; secret: string;
  created_at: Date; updated_at: Date; last_success_at: Date | null; first_failure_at: Date | null; disabled_reason: string | null;
};
const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
export const toEndpointDto = (r: EndpointRow): WebhookEndpointDto => ({
  id: r.id,
  url: r.url,
  events: r.events,
  enabled: r.enabled,
  allowPrivateNetwork: r.allow_private_network,
  createdAt: iso(r.created_at)!,
  updatedAt: iso(r.updated_at)!,
  lastSuccessAt: iso(r.last_success_at),
  firstFailureAt: iso(r.first_failure_at),
  disabledReason: r.disabled_reason,
});

export async function findEndpoint(em: EntityManager, id: string): Promise<EndpointRow> {
  const [row] = await em.execute<EndpointRow[]>(`select * from webhook_endpoints where id = ?`, [id]);
  if (!row) throw new AppError('WEBHOOK_NOT_FOUND');
  return row;
}

export interface CreateWebhookInput {
  url: string;
  events: WebhookEvent[];
  allowPrivateNetwork?: boolean;
}

/** A new endpoint and its signing secret, which only this answer carries. */
export async function createWebhook(deps: CoreDeps, actor: Actor, input: CreateWebhookInput): Promise<WebhookEndpointDto & { secret: string }> {
  const allow = input.allowPrivateNetwork ?? false;
  const url = (await assertDeliverableUrl(input.url, allow)).toString();
  const id = randomUUID();
  const secret = newWebhookSecret();
  const events = [...new Set(input.events)];
  const row = await deps.em.transactional(async (em) => {
    const [r] = await em.execute<EndpointRow[]>(
      `insert into webhook_endpoints (id, url, events, allow_private_network, secret, created_by_id) values (?, ?, ?::text[], ?, ?, ?) returning *`,
      [id, url, textArrayLiteral(events), allow, secret, actor.id],
    );
    recordAudit(em, { actorId: actor.id, action: 'webhook.create', details: { webhookId: id, url, events, allowPrivateNetwork: allow } });
    return r!;
  });
  return { ...toEndpointDto(row), secret };
}

/** Every endpoint, and the event catalogue (for the web's checkboxes and the CLI's help). */
export async function listWebhooks(deps: CoreDeps): Promise<{ items: WebhookEndpointDto[]; events: WebhookEvent[] }> {
  const rows = await deps.em.execute<EndpointRow[]>(`select * from webhook_endpoints order by created_at, id`);
  return { items: rows.map(toEndpointDto), events: [...WEBHOOK_EVENTS] };
}

export interface UpdateWebhookInput {
  id: string;
  url?: string;
  events?: WebhookEvent[];
  enabled?: boolean;
  allowPrivateNetwork?: boolean;
}

/** Enabling again clears the failure streak, so a fixed receiver gets a full day before the next automatic disable. */
export async function updateWebhook(deps: CoreDeps, actor: Actor, input: UpdateWebhookInput): Promise<WebhookEndpointDto> {
  const cur = await findEndpoint(deps.em, input.id);
  const allow = input.allowPrivateNetwork ?? cur.allow_private_network;
  const url = input.url !== undefined || allow !== cur.allow_private_network ? (await assertDeliverableUrl(input.url ?? cur.url, allow)).toString() : cur.url;
  const events = input.events ? [...new Set(input.events)] : cur.events;
  const enabled = input.enabled ?? cur.enabled;
  const reenabled = enabled && !cur.enabled;
  const row = await deps.em.transactional(async (em) => {
    const [r] = await em.execute<EndpointRow[]>(
      `update webhook_endpoints set url = ?, events = ?::text[], enabled = ?, allow_private_network = ?, updated_at = now(),
         first_failure_at = case when ? then null else first_failure_at end,
         disabled_reason = case when ? then null else disabled_reason end
       where id = ? returning *`,
      [url, textArrayLiteral(events), enabled, allow, reenabled, enabled, input.id],
    );
    if (!r) throw new AppError('WEBHOOK_NOT_FOUND');
    recordAudit(em, {
      actorId: actor.id,
      action: 'webhook.update',
      details: { webhookId: input.id, url, events, enabled, allowPrivateNetwork: allow },
    });
    return r;
  });
  return toEndpointDto(row);
}

export async function deleteWebhook(deps: CoreDeps, actor: Actor, id: string): Promise<{ id: string }> {
  await deps.em.transactional(async (em) => {
    const rows = await em.execute<{ url: string }[]>(`delete from webhook_endpoints where id = ? returning url`, [id]);
    if (!rows[0]) throw new AppError('WEBHOOK_NOT_FOUND');
    recordAudit(em, { actorId: actor.id, action: 'webhook.delete', details: { webhookId: id, url: rows[0].url } });
  });
  return { id };
}
