import { api } from '#lib/server/caller.ts';
import { callFailure } from '#lib/server/errors.ts';
import type { RequestHandler } from './$types';

/**
 * The add-members search on a group's page: active, approved users by name
 * or email (the page leaves out those already in the group).
 */
export const GET: RequestHandler = async (event) => {
  const query = event.url.searchParams.get('q')?.trim().slice(0, 200) || undefined;
  try {
    const { items } = await api(event).admin.users.list({ query, roles: ['owner', 'admin', 'user'], statuses: ['active'], orderBy: 'name', page: 1, pageSize: 10 });
    return Response.json({ users: items.map((u) => ({ id: u.id, name: u.name, email: u.email, avatarUrl: u.avatarUrl })) });
  } catch (err) {
    const f = callFailure(err, event, 'admin.users.list');
    return Response.json({ message: f.message }, { status: 400 });
  }
};
