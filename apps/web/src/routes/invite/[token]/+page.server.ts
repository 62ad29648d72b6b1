import { fail, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import { callFailure } from '#lib/server/errors.ts';
import { actionFailure, text } from '#lib/server/form.ts';
import type { Actions, PageServerLoad } from './$types';

/** The invitee's page: who is invited, then their name and password, and they are in. */
export const load: PageServerLoad = async (event) => {
  const caller = api(event);
  const { passwordMinLength } = await caller.setup.options();
  try {
    const invitation = await caller.auth.invitation({ token: event.params.token });
    return { invitation, passwordMinLength, signedInAs: event.locals.ctx.actor?.email ?? null };
  } catch (err) {
    // A bad, used, revoked or expired link all read the same: the router does not say which.
    return { invitation: null, invalid: callFailure(err, event, 'auth.invitation').message, passwordMinLength, signedInAs: null };
  }
};

export const actions: Actions = {
  default: async (event) => {
    const f = await event.request.formData();
    const name = text(f, 'name');
    const password = text(f, 'password');
    if (password !== text(f, 'confirmPassword')) {
      return fail(400, { message: null, fieldErrors: { confirmPassword: ['The passwords do not match'] }, values: { name } });
    }
    try {
      await api(event).auth.acceptInvitation({ token: event.params.token, name, password });
    } catch (err) {
      return actionFailure(err, event, 'auth.acceptInvitation', ['name', 'password'], { name });
    }
    // Signed in as the new account: '/' sends admins to the admin pages, members to theirs.
    redirect(303, '/');
  },
};
