import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import { webhookActions } from '#lib/server/webhook-actions.ts';
import type { Actions, PageServerLoad } from './$types';

/** Every endpoint with its state; the event catalogue feeds the create dialog's checkboxes. */
export const load: PageServerLoad = async (event) => {
  const { items, events } = await api(event).admin.webhooks.list().catch((err) => failLoad(err, event, 'admin.webhooks.list'));
  return { webhooks: items, events };
};

export const actions: Actions = { create: webhookActions.create };
