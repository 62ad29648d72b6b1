import { fail, redirect } from '@sveltejs/kit';
import { ownApiKeyActions } from '#lib/server/api-key-actions.ts';
import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import { actionFailure, text } from '#lib/server/form.ts';
import { managesAGroup } from '#lib/server/managed-groups.ts';
import { currentUser, isAdmin } from '#lib/server/me.ts';
import { signInUrl } from '#lib/server/redirect.ts';
import { statusExpiry } from '#lib/status-expiry.ts';
import type { Actions, PageServerLoad } from './$types';

/** Every user's own page: profile, password, status and sessions (issue 3's self-service). */
export const load: PageServerLoad = async (event) => {
  const me = await currentUser(event);
  if (!me) redirect(303, signInUrl(event.url));
  const caller = api(event);
  const fail = (path: string) => (err: unknown) => failLoad(err, event, path);
  const status = await caller.me.status.get().catch(fail('me.status.get'));
  const sessions = await caller.me.sessions.list().catch(fail('me.sessions.list'));
  const { passwordMinLength } = await caller.setup.options();
  const { permissions } = await caller.me.permissions().catch(fail('me.permissions'));
  // What the template and groups let this account change about itself (the router refuses the rest).
  const may = { editName: permissions['profile.editName'] !== false, editAvatar: permissions['profile.editAvatar'] !== false };
  const manages = isAdmin(me) ? false : await managesAGroup(event);
  const apiKeys = await caller.me.apiKeys.list().catch(fail('me.apiKeys.list'));
  // Scopes for the create form: none when the permission apiKeys.create is off (the router refuses it then).
  const keyScopes = permissions['apiKeys.create'] === false ? [] : (await caller.me.apiKeys.scopes().catch(fail('me.apiKeys.scopes'))).scopes;
  return { me, isAdmin: isAdmin(me), manages, status, sessions, passwordMinLength, may, apiKeys, keyScopes };
};

export const actions: Actions = {
  ...ownApiKeyActions,
  profile: async (event) => {
    const f = await event.request.formData();
    try {
      await api(event).me.update({ name: text(f, 'name'), avatarUrl: text(f, 'avatarUrl').trim() || null });
      return { toast: 'Profile saved' };
    } catch (err) {
      return actionFailure(err, event, 'me.update', ['name', 'avatarUrl']);
    }
  },
  changePassword: async (event) => {
    const f = await event.request.formData();
    if (text(f, 'next') !== text(f, 'confirm')) return fail(400, { message: null, fieldErrors: { confirm: ['The passwords do not match'] } });
    try {
      await api(event).me.changePassword({ current: text(f, 'current'), next: text(f, 'next') });
      return { toast: 'Password changed; your other sessions were signed out' };
    } catch (err) {
      return actionFailure(err, event, 'me.changePassword', ['current', 'next']);
    }
  },
  status: async (event) => {
    const f = await event.request.formData();
    const clear = f.has('clear');
    try {
      await api(event).me.status.update(
        clear ? {} : { emoji: text(f, 'emoji') || null, message: text(f, 'message') || null, expiresAt: statusExpiry(text(f, 'expires')) },
      );
      return { toast: clear ? 'Status cleared' : 'Status set' };
    } catch (err) {
      return actionFailure(err, event, 'me.status.update', ['emoji', 'message']);
    }
  },
  revokeSession: async (event) => {
    const f = await event.request.formData();
    try {
      await api(event).me.sessions.revoke({ sessionId: text(f, 'sessionId') });
      return { toast: 'Session signed out' };
    } catch (err) {
      return actionFailure(err, event, 'me.sessions.revoke');
    }
  },
};
