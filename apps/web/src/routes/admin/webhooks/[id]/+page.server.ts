import { error } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import { webhookActions } from '#lib/server/webhook-actions.ts';
import type { Actions, PageServerLoad } from './$types';

/** One endpoint and its delivery log (newest first, `?page=`). */
export const load: PageServerLoad = async (event) => {
  const caller = api(event);
  const page = Math.max(1, Math.min(100_000, Number(event.url.searchParams.get('page')) || 1));
  const [list, log] = await Promise.all([
    caller.admin.webhooks.list().catch((err) => failLoad(err, event, 'admin.webhooks.list')),
    caller.admin.webhooks.deliveries({ id: event.params.id, page, pageSize: 25 }).catch((err) => failLoad(err, event, 'admin.webhooks.deliveries')),
  ]);
  const webhook = list.items.find((w) => w.id === event.params.id);
  if (!webhook) error(404, 'Webhook endpoint not found');
  return { webhook, deliveries: log.items, total: log.total, page, pageSize: 25 };
};

export const actions: Actions = { toggle: webhookActions.toggle, test: webhookActions.test, replay: webhookActions.replay, delete: webhookActions.delete };
