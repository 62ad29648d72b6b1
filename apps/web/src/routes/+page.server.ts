import { redirect } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import { managesAGroup } from '#lib/server/managed-groups.ts';
import { currentUser, isAdmin } from '#lib/server/me.ts';
import type { PageServerLoad } from './$types';

/**
 * The front door: setup first, then sign-in; admins go to the shell, members
 * see their own page. Pending accounts and required password changes never
 * reach it: the root layout sends them to /pending and /change-password.
 */
export const load: PageServerLoad = async (event) => {
  const { hasOwner } = await api(event).setup.status();
  if (!hasOwner) redirect(303, '/setup');
  const me = await currentUser(event);
  if (!me) redirect(303, '/signin');
  if (isAdmin(me)) redirect(303, '/admin/users');
  return { me, manages: await managesAGroup(event) };
};
