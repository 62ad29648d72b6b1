import { fail } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import { callFailure } from '#lib/server/errors.ts';
import { actionFailure, text } from '#lib/server/form.ts';
import type { Actions, PageServerLoad } from './$types';

/** n8n-style reset link: set a new password; every session of the account ends, so they sign in afresh. */
export const load: PageServerLoad = async (event) => {
  const caller = api(event);
  const { passwordMinLength } = await caller.setup.options();
  try {
    const link = await caller.auth.resetLink({ token: event.params.token });
    return { link, passwordMinLength };
  } catch (err) {
    return { link: null, invalid: callFailure(err, event, 'auth.resetLink').message, passwordMinLength };
  }
};

export const actions: Actions = {
  default: async (event) => {
    const f = await event.request.formData();
    const password = text(f, 'password');
    if (password !== text(f, 'confirmPassword')) {
      return fail(400, { message: null, fieldErrors: { confirmPassword: ['The passwords do not match'] } });
    }
    try {
      await api(event).auth.resetPassword({ token: event.params.token, password });
    } catch (err) {
      return actionFailure(err, event, 'auth.resetPassword', ['password']);
    }
    return { done: true };
  },
};
