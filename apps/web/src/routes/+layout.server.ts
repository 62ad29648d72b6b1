import { redirect } from '@sveltejs/kit';
import { gateFor } from '#lib/server/gate.ts';
import type { LayoutServerLoad } from './$types';

/** Root guard: runs before every page (no database work; the actor is already in the context). */
export const load: LayoutServerLoad = ({ locals, url }) => {
  const to = gateFor(locals.ctx.actor, url.pathname);
  if (to) redirect(303, to);
};
