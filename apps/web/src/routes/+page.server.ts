import { fail, redirect } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import { callFailure } from '#lib/server/errors.ts';
import { currentUser, isAdmin } from '#lib/server/me.ts';
import type { Actions, PageServerLoad } from './$types';

/** The front door: setup first, then sign-in; admins go to the shell, members see their own page. */
export const load: PageServerLoad = async (event) => {
  const { hasOwner } = await api(event).setup.status();
  if (!hasOwner) redirect(303, '/setup');
  const me = await currentUser(event);
  if (!me) redirect(303, '/signin');
  if (isAdmin(me) && !me.mustChangePassword) redirect(303, '/admin/users');
  return { me };
};

const text = (form: FormData, key: string) => String(form.get(key) ?? '');

export const actions: Actions = {
  /** Lets someone whose password an admin set (or reset) replace it, which unlocks the rest of the app. */
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
    redirect(303, '/');
  },
};
