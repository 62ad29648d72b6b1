import { fail, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import { callFailure } from '#lib/server/errors.ts';
import { text } from '#lib/server/form.ts';
import { currentUser } from '#lib/server/me.ts';
import { signInUrl } from '#lib/server/redirect.ts';
import type { Actions, PageServerLoad } from './$types';

/** Where the root gate sends anyone whose password an admin set or reset; also usable by choice. */
export const load: PageServerLoad = async (event) => {
  const me = await currentUser(event);
  if (!me) redirect(303, signInUrl(event.url));
  const { passwordMinLength } = await api(event).setup.options();
  return { me: { name: me.name, email: me.email, mustChangePassword: me.mustChangePassword }, passwordMinLength };
};

export const actions: Actions = {
  changePassword: async (event) => {
    const form = await event.request.formData();
    const input = { current: text(form, 'current'), next: text(form, 'next') };
    if (input.next !== text(form, 'confirm')) {
      return fail(400, { message: null, fieldErrors: { confirm: ['The passwords do not match'] } });
    }
    try {
      await api(event).me.changePassword(input);
    } catch (err) {
      const f = callFailure(err, event, 'me.changePassword');
      return fail(400, { message: f.fieldErrors ? null : f.message, fieldErrors: f.fieldErrors ?? {} });
    }
    // '/' takes it from here: the admin shell for admins, their own page for members.
    redirect(303, '/');
  },
};
