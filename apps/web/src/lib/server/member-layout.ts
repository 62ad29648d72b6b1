import { redirect, type RequestEvent } from '@sveltejs/kit';
import { managesAGroup } from './managed-groups.ts';
import { currentUser, isAdmin } from './me.ts';
import { quotaWarning } from './quota-warning.ts';
import { signInUrl } from './redirect.ts';

/** The guard and bar data of the pages every active account has (/files, /groups); pending ones and forced password changes are sent to "/" first. */
export async function memberLayout(event: Pick<RequestEvent, 'locals' | 'url'>) {
  const me = await currentUser(event);
  if (!me) redirect(303, signInUrl(event.url));
  if (me.role === 'pending' || me.mustChangePassword || me.status !== 'active') redirect(303, '/');
  const admin = isAdmin(me);
  // Admins reach groups from the admin pages; the link is for managers who are not admins.
  const [warning, manages] = await Promise.all([quotaWarning(event, me), admin ? false : managesAGroup(event)]);
  return { me, admin, manages, quotaWarning: warning };
}
