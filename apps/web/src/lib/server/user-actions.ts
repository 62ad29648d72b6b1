import type { RequestEvent } from '@sveltejs/kit';
import { api } from './caller.ts';
import { actionFailure, checked, text } from './form.ts';

/**
 * Lifecycle form actions shared by the users list and a user's page. Each
 * reads the user's `id` from the form, calls one procedure, and answers with
 * a `toast` on success or the form's failure.
 */
export const lifecycleActions = {
  /** Approval is a role change from pending to user (issue 3). */
  approve: async (event: RequestEvent) => {
    const f = await event.request.formData();
    try {
      const u = await api(event).admin.users.update({ id: text(f, 'id'), role: 'user' });
      return { toast: `${u.name} can now sign in` };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.update');
    }
  },
  restore: async (event: RequestEvent) => {
    const f = await event.request.formData();
    try {
      const u = await api(event).admin.users.restore({ id: text(f, 'id') });
      return { toast: `${u.name} was restored` };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.restore');
    }
  },
  purgeNow: async (event: RequestEvent) => {
    const f = await event.request.formData();
    try {
      const { user } = await api(event).admin.users.purgeNow({ id: text(f, 'id') });
      return { toast: `${user.name} is being purged` };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.purgeNow');
    }
  },
  delete: async (event: RequestEvent) => {
    const f = await event.request.formData();
    const immediate = checked(f, 'immediate');
    try {
      const { user } = await api(event).admin.users.delete({
        id: text(f, 'id'),
        immediate,
        transferToUserId: text(f, 'transferToUserId') || null,
      });
      return { toast: immediate ? `${user.name} is queued for immediate deletion` : `${user.name} was deleted; you can restore them until the purge` };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.delete', ['transferToUserId']);
    }
  },
};
