import { redirect } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import { listInput, parseView, viewHref, PAGE_SIZE } from '#lib/users-query.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const view = parseView(event.url.searchParams);
  const result = await api(event)
    .admin.users.list(listInput(view))
    .catch((err) => failLoad(err, event, 'admin.users.list'));
  // A shared link to page 9 of a list that shrank: show its last page instead of an empty one.
  const lastPage = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  if (view.page > lastPage) redirect(303, event.url.pathname + viewHref(view, { page: lastPage }));
  return { view, users: result.items, total: result.total, pageSize: PAGE_SIZE };
};
