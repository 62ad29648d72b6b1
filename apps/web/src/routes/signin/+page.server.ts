import { fail, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import { callFailure } from '#lib/server/errors.ts';
import { safeRedirect } from '#lib/server/redirect.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { hasOwner } = await api(event).setup.status();
  if (!hasOwner) redirect(303, '/setup');
  if (event.locals.ctx.actor) redirect(303, safeRedirect(event.url.searchParams.get('redirectTo'), '/'));
  // The link to sign-up shows only while the instance accepts sign-ups.
  const { signupEnabled } = await api(event).setup.options();
  return { signupEnabled };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '');
    const password = String(form.get('password') ?? '');
    try {
      await api(event).auth.signIn({ email, password });
    } catch (err) {
      // One message for a wrong password and an unknown email: the router already makes them identical.
      const f = callFailure(err, event, 'auth.signIn');
      return fail(400, { email, message: f.message });
    }
    // '/' decides: the admin shell for admins, their own page for members.
    redirect(303, safeRedirect(event.url.searchParams.get('redirectTo'), '/'));
  },
};
