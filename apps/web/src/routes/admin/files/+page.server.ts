import { redirect } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import { deleteFileAction, FILES_PAGE_SIZE, pageParam } from '#lib/server/file-actions.ts';
import type { Actions, PageServerLoad } from './$types';

/** One user's files as an admin sees them (`files:manage`): reached from the Storage page. */
export const load: PageServerLoad = async (event) => {
  const userId = event.url.searchParams.get('user');
  if (!userId) redirect(303, '/admin/stats');
  const page = pageParam(event.url);
  const c = api(event);
  const [user, list, usage] = await Promise.all([
    c.admin.users.get({ id: userId }),
    c.files.list({ page, pageSize: FILES_PAGE_SIZE, userId }),
    c.files.usage({ userId }),
  ]).catch((err) => failLoad(err, event, 'files.list'));
  return { user, files: list.items, total: list.total, page, pageSize: FILES_PAGE_SIZE, usage };
};

export const actions: Actions = { delete: deleteFileAction };
