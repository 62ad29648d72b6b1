import { redirect } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import { deleteFileAction, FILES_PAGE_SIZE, pageParam } from '#lib/server/file-actions.ts';
import { dismissQuotaWarning } from '#lib/server/quota-warning.ts';
import { safeRedirect } from '#lib/server/redirect.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  await event.parent(); // the layout's guard decides first: no list calls for someone it sends away
  const page = pageParam(event.url);
  const c = api(event);
  const [list, usage, mine] = await Promise.all([c.files.list({ page, pageSize: FILES_PAGE_SIZE }), c.files.usage(), c.me.permissions()]).catch((err) =>
    failLoad(err, event, 'files.list'),
  );
  const lastPage = Math.max(1, Math.ceil(list.total / FILES_PAGE_SIZE));
  if (page > lastPage) redirect(303, lastPage === 1 ? '/files' : `/files?page=${lastPage}`);
  // Read on every load: a permission taken away shows on the next visit, no sign-out needed.
  return { files: list.items, total: list.total, page, pageSize: FILES_PAGE_SIZE, usage, canUpload: mine.permissions['files.upload'] !== false };
};

export const actions: Actions = {
  delete: deleteFileAction,
  /** Posted by the header's quota banner from any page; goes back there. */
  dismissWarning: async (event) => {
    const form = await event.request.formData();
    await dismissQuotaWarning(event, form);
    redirect(303, safeRedirect(String(form.get('redirectTo') ?? ''), '/files'));
  },
};
