import type { RequestEvent } from '@sveltejs/kit';
import { api } from './caller.ts';
import { actionFailure, text } from './form.ts';

/**
 * A user's page: credentials, suspension, sessions and ownership. One-time
 * secrets go back to the dialog that asked for them, never into the URL.
 */
export const userAccessActions = {
  resetPassword: async (event: RequestEvent) => {
    const f = await event.request.formData();
    try {
      const { password } = await api(event).admin.users.resetPassword({ id: text(f, 'id') });
      return { password };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.resetPassword');
    }
  },
  resetLink: async (event: RequestEvent) => {
    const f = await event.request.formData();
    try {
      const { path, expiresAt } = await api(event).admin.users.passwordResetLink({ id: text(f, 'id') });
      return { link: event.url.origin + path, expiresAt };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.passwordResetLink');
    }
  },
  suspend: async (event: RequestEvent) => {
    const f = await event.request.formData();
    // The date input gives a calendar day; the suspension ends at the start of that day, UTC.
    const until = text(f, 'until');
    try {
      const u = await api(event).admin.users.suspend({
        id: text(f, 'id'),
        reason: text(f, 'reason'),
        until: until ? `${until}T00:00:00.000Z` : null,
      });
      return { toast: `${u.name} is suspended` };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.suspend', ['reason', 'until']);
    }
  },
  unsuspend: async (event: RequestEvent) => {
    const f = await event.request.formData();
    try {
      const u = await api(event).admin.users.unsuspend({ id: text(f, 'id') });
      return { toast: `${u.name} can sign in again` };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.unsuspend');
    }
  },
  revokeSession: async (event: RequestEvent) => {
    const f = await event.request.formData();
    try {
      await api(event).admin.users.revokeSession({ sessionId: text(f, 'sessionId') });
      return { toast: 'Session signed out' };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.revokeSession');
    }
  },
  revokeAllSessions: async (event: RequestEvent) => {
    const f = await event.request.formData();
    try {
      const { revoked } = await api(event).admin.users.revokeAllSessions({ id: text(f, 'id') });
      return { toast: revoked === 1 ? 'Signed out of 1 session' : `Signed out of ${revoked} sessions` };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.revokeAllSessions');
    }
  },
  transferOwnership: async (event: RequestEvent) => {
    const f = await event.request.formData();
    try {
      const { newOwner } = await api(event).admin.users.transferOwnership({ id: text(f, 'id'), password: text(f, 'password') });
      return { toast: `${newOwner.name} is now the owner; you are an admin` };
    } catch (err) {
      return actionFailure(err, event, 'admin.users.transferOwnership', ['password']);
    }
  },
};
