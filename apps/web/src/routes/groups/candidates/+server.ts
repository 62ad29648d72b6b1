import { api } from '#lib/server/caller.ts';
import { callFailure } from '#lib/server/errors.ts';
import type { RequestHandler } from './$types';

/** The add-members search on "My groups": what any signed-in user may search (users.search: active, approved, by name). */
export const GET: RequestHandler = async (event) => {
  const query = event.url.searchParams.get('q')?.trim().slice(0, 100) ?? '';
  if (!query) return Response.json({ users: [] });
  try {
    const users = await api(event).users.search({ query });
    return Response.json({ users: users.map((u) => ({ id: u.id, name: u.name, avatarUrl: u.avatarUrl })) });
  } catch (err) {
    const f = callFailure(err, event, 'users.search');
    return Response.json({ message: f.message }, { status: 400 });
  }
};
