import { redirect } from '@sveltejs/kit';
import { currentUser, isAdmin } from '#lib/server/me.ts';
import { quotaWarning } from '#lib/server/quota-warning.ts';
import { signInUrl } from '#lib/server/redirect.ts';
import type { LayoutServerLoad } from './$types';

/** Every active account has files; pending ones and forced password changes are sent to "/" first. */
export const load: LayoutServerLoad = async (event) => {
  const me = await currentUser(event);
  if (!me) redirect(303, signInUrl(event.url));
  if (me.role === 'pending' || me.mustChangePassword || me.status !== 'active') redirect(303, '/');
  return { me, admin: isAdmin(me), quotaWarning: await quotaWarning(event, me) };
};
