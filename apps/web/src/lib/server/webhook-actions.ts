import { redirect, type RequestEvent } from '@sveltejs/kit';
import { api } from './caller.ts';
import { actionFailure, checked, text } from './form.ts';

type Events = Parameters<ReturnType<typeof api>['admin']['webhooks']['create']>[0]['events'];

/** The admin's webhook form actions (/admin/webhooks and an endpoint's page): one procedure each, a toast or the form's failure. */
export const webhookActions = {
  /** Answers the secret once; the dialog shows it and offers the endpoint's page. */
  create: async (event: RequestEvent) => {
    const form = await event.request.formData();
    try {
      const w = await api(event).admin.webhooks.create({
        url: text(form, 'url').trim(),
        events: form.getAll('events').map(String) as Events,
        allowPrivateNetwork: checked(form, 'allowPrivateNetwork'),
      });
      return { toast: 'Webhook created', created: { id: w.id, url: w.url, secret: w.secret } };
    } catch (err) {
      return actionFailure(err, event, 'admin.webhooks.create', ['url', 'events']);
    }
  },
  toggle: async (event: RequestEvent) => {
    const form = await event.request.formData();
    try {
      const w = await api(event).admin.webhooks.update({ id: text(form, 'id'), enabled: text(form, 'enabled') === 'true' });
      return { toast: w.enabled ? 'Webhook enabled' : 'Webhook disabled' };
    } catch (err) {
      return actionFailure(err, event, 'admin.webhooks.update');
    }
  },
  test: async (event: RequestEvent) => {
    const form = await event.request.formData();
    try {
      await api(event).admin.webhooks.test({ id: text(form, 'id') });
      return { toast: 'Test event queued; it appears in the log below' };
    } catch (err) {
      return actionFailure(err, event, 'admin.webhooks.test');
    }
  },
  replay: async (event: RequestEvent) => {
    const form = await event.request.formData();
    try {
      const d = await api(event).admin.webhooks.replay({ deliveryId: text(form, 'deliveryId') });
      return { toast: `${d.event} queued again` };
    } catch (err) {
      return actionFailure(err, event, 'admin.webhooks.replay');
    }
  },
  delete: async (event: RequestEvent) => {
    const form = await event.request.formData();
    try {
      await api(event).admin.webhooks.delete({ id: text(form, 'id') });
    } catch (err) {
      return actionFailure(err, event, 'admin.webhooks.delete');
    }
    redirect(303, '/admin/webhooks');
  },
};
