import { redirect } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import type { Actions, PageServerLoad } from './$types';

/** GET only asks; signing out is a POST so a link or prefetch can never do it. */
export const load: PageServerLoad = (event) => {
  if (!event.locals.ctx.actor) redirect(303, '/signin');
  return { name: event.locals.ctx.actor.name };
};

export const actions: Actions = {
  default: async (event) => {
    await api(event).auth.signOut();
    redirect(303, '/signin');
  },
};
