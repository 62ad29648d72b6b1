import { fail, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import { actionFailure, text } from '#lib/server/form.ts';
import type { Actions, PageServerLoad } from './$types';

/** Self-registration, while the instance allows it (setting signupEnabled). */
export const load: PageServerLoad = async (event) => {
  const caller = api(event);
  const { hasOwner } = await caller.setup.status();
  if (!hasOwner) redirect(303, '/setup');
  if (event.locals.ctx.actor) redirect(303, '/');
  return await caller.setup.options();
};

export const actions: Actions = {
  default: async (event) => {
    const f = await event.request.formData();
    const input = { name: text(f, 'name'), email: text(f, 'email'), password: text(f, 'password') };
    // Passwords never go back to the page.
    const values = { name: input.name, email: input.email };
    if (input.password !== text(f, 'confirmPassword')) {
      return fail(400, { message: null, fieldErrors: { confirmPassword: ['The passwords do not match'] }, values });
    }
    try {
      await api(event).auth.signUp(input);
    } catch (err) {
      return actionFailure(err, event, 'auth.signUp', ['name', 'email', 'password'], values);
    }
    // Signed in now; the root gate shows a pending account the waiting page.
    redirect(303, '/');
  },
};
