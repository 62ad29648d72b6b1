import { api } from '#lib/server/caller.ts';
import { callFailure } from '#lib/server/errors.ts';
import { ROLE_OPTIONS } from '#lib/users-query.ts';
import type { RequestHandler } from './$types';

/** Every role but `pending`: an account awaiting approval cannot receive files. */
const APPROVED = ROLE_OPTIONS.filter((r) => r !== 'pending');

/**
 * The delete dialog's transfer-target picker searches here as the admin
 * types: active, approved users other than the one being deleted (what the
 * router accepts as a target; accounts awaiting approval are refused). A
 * server route, so the page calls the router the same way its loads and
 * actions do.
 */
export const GET: RequestHandler = async (event) => {
  const query = event.url.searchParams.get('q')?.trim().slice(0, 200) || undefined;
  try {
    const { items } = await api(event).admin.users.list({ query, roles: APPROVED, statuses: ['active'], orderBy: 'name', page: 1, pageSize: 8 });
    const users = items
      .filter((u) => u.id !== event.params.id)
      .map((u) => ({ id: u.id, name: u.name, email: u.email, avatarUrl: u.avatarUrl, role: u.role }));
    return Response.json({ users });
  } catch (err) {
    const f = callFailure(err, event, 'admin.users.list');
    return Response.json({ message: f.message }, { status: 400 });
  }
};
