import { fail, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import { callFailure } from '#lib/server/errors.ts';
import type { Actions, PageServerLoad } from './$types';

/** Setup exists only until the owner does. The printed first-run link carries `?token=`, passed on in a hidden field. */
export const load: PageServerLoad = async (event) => {
  const { hasOwner, tokenRequired } = await api(event).setup.status();
  if (hasOwner) redirect(303, '/signin');
  const token = (event.url.searchParams.get('token') ?? '').slice(0, 256);
  return { token, tokenRequired };
};

const text = (form: FormData, key: string) => String(form.get(key) ?? '');

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const input = { email: text(form, 'email'), name: text(form, 'name'), password: text(form, 'password'), token: text(form, 'token') || undefined };
    // Passwords are never sent back to the page.
    const values = { email: input.email, name: input.name };
    if (input.password !== text(form, 'confirmPassword')) {
      return fail(400, { values, message: null, fieldErrors: { confirmPassword: ['The passwords do not match'] } });
    }
    try {
      // The router signs the new owner in by setting the session cookie.
      await api(event).setup.createOwner(input);
    } catch (err) {
      const f = callFailure(err, event, 'setup.createOwner');
      if (f.appCode === 'SETUP_DONE') redirect(303, '/signin');
      // Field errors already say what is wrong; the summary would repeat them.
      return fail(400, { values, message: f.fieldErrors ? null : f.message, fieldErrors: f.fieldErrors ?? {} });
    }
    redirect(303, '/admin/users');
  },
};
