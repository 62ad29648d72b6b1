import { redirect } from '@sveltejs/kit';
import { currentUser, isAdmin } from '#lib/server/me.ts';
import { quotaWarning } from '#lib/server/quota-warning.ts';
import { signInUrl } from '#lib/server/redirect.ts';
import type { LayoutServerLoad } from './$types';

/**
 * The admin shell's guard. It decides what to show; the router still
 * authorizes every call the pages make, so a gap here cannot leak data.
 */
export const load: LayoutServerLoad = async (event) => {
  const me = await currentUser(event);
  if (!me) redirect(303, signInUrl(event.url));
  // Members, pending accounts and forced password changes get their own page at "/".
  if (!isAdmin(me) || me.mustChangePassword) redirect(303, '/');
  return { me, quotaWarning: await quotaWarning(event, me) };
};
