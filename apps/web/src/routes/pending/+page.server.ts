import { redirect } from '@sveltejs/kit';
import { currentUser } from '#lib/server/me.ts';
import type { PageServerLoad } from './$types';

/** Pending accounts wait here (the root gate sends them); once approved, '/' lets them in. */
export const load: PageServerLoad = async (event) => {
  const me = await currentUser(event);
  if (!me) redirect(303, '/signin');
  if (me.role !== 'pending') redirect(303, '/');
  return { me: { name: me.name, email: me.email, createdAt: me.createdAt } };
};
