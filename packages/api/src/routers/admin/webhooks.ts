import { pageOf, webhookDeliverySchema, webhookEndpointSchema } from '@roster/core';
import { createdWebhookSchema, idOnlySchema, webhookListSchema } from '../../outputs/admin.ts';
import {
  createWebhook,
  deleteWebhook,
  idSchema,
  listDeliveries,
  listWebhooks,
  replayDelivery,
  testWebhook,
  updateWebhook,
  WEBHOOK_EVENTS,
} from '@roster/core';
import { z } from 'zod';
import { scopedProcedure } from '../../procedures.ts';
import { t } from '../../trpc.ts';

const urlSchema = z.string().trim().min(1, 'Enter the URL').max(2048, 'At most 2048 characters');
const eventsSchema = z
  .array(z.enum(WEBHOOK_EVENTS, { message: `Unknown event; known: ${WEBHOOK_EVENTS.join(', ')}` }))
  .min(1, 'Choose at least one event')
  .max(WEBHOOK_EVENTS.length * 2);
const byId = z.object({ id: idSchema });
const manage = () => scopedProcedure('webhooks:manage');

/** Webhook endpoints (issue 13): signed POSTs to other services when users and groups change. */
export const adminWebhooksRouter = t.router({
  /** The only answer that carries the signing secret. */
  create: manage()
    .input(z.object({ url: urlSchema, events: eventsSchema, allowPrivateNetwork: z.boolean().optional() }))
    .output(createdWebhookSchema).mutation(({ ctx, input }) => createWebhook(ctx.deps, ctx.actor, input)),
  list: manage().output(webhookListSchema).query(({ ctx }) => listWebhooks(ctx.deps)),
  update: manage()
    .input(
      z.object({
        id: idSchema,
        url: urlSchema.optional(),
        events: eventsSchema.optional(),
        enabled: z.boolean().optional(),
        allowPrivateNetwork: z.boolean().optional(),
      }),
    )
    .output(webhookEndpointSchema).mutation(({ ctx, input }) => updateWebhook(ctx.deps, ctx.actor, input)),
  delete: manage()
    .input(byId)
    .output(idOnlySchema).mutation(({ ctx, input }) => deleteWebhook(ctx.deps, ctx.actor, input.id)),
  deliveries: manage()
    .input(z.object({ id: idSchema, page: z.number().int().min(1).max(100_000).default(1), pageSize: z.number().int().min(1).max(100).default(25) }))
    .output(pageOf(webhookDeliverySchema)).query(({ ctx, input }) => listDeliveries(ctx.deps, input)),
  replay: manage()
    .input(z.object({ deliveryId: idSchema }))
    .output(webhookDeliverySchema).mutation(({ ctx, input }) => replayDelivery(ctx.deps, ctx.actor, input.deliveryId)),
  test: manage()
    .input(byId)
    .output(webhookDeliverySchema).mutation(({ ctx, input }) => testWebhook(ctx.deps, ctx.actor, input.id)),
});
