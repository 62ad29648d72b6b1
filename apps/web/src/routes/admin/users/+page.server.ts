import { redirect } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import { lifecycleActions } from '#lib/server/user-actions.ts';
import { userFormActions } from '#lib/server/user-form-actions.ts';
import { listInput, parseView, viewHref, PAGE_SIZE } from '#lib/users-query.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const view = parseView(event.url.searchParams);
  const caller = api(event);
  const fail = (path: string) => (err: unknown) => failLoad(err, event, path);
  const result = await caller.admin.users.list(listInput(view)).catch(fail('admin.users.list'));
  // A shared link to page 9 of a list that shrank: show its last page instead of an empty one.
  // An estimated total (over 1,000 matches) does not say where the list ends, so no page is redirected.
  const lastPage = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  if (!result.totalEstimated && view.page > lastPage) redirect(303, event.url.pathname + viewHref(view, { page: lastPage }));
  // The approval queue is counted on every tab, so waiting people are never out of sight.
  const pending = await caller.admin.users.list({ roles: ['pending'], page: 1, pageSize: 1 }).catch(fail('admin.users.list'));
  const settings = await caller.admin.settings.get().catch(fail('admin.settings.get'));
  const groups = await caller.admin.groups.list().catch(fail('admin.groups.list'));
  const { me } = await event.parent();
  return {
    view,
    users: result.items,
    total: result.total,
    totalEstimated: result.totalEstimated === true,
    pageSize: PAGE_SIZE,
    pendingCount: pending.total,
    pendingEstimated: pending.totalEstimated === true,
    groups: groups.items.map((g) => ({ id: g.id, name: g.name })),
    createDefaults: {
      mustChangePassword: settings.requirePasswordChangeOnCreate,
      passwordMinLength: settings.passwordMinLength,
      canGrantAdmin: me.role === 'owner' || settings.adminsCanCreateAdmins,
    },
  };
};

export const actions: Actions = {
  create: userFormActions.create,
  approve: lifecycleActions.approve,
  restore: lifecycleActions.restore,
  purgeNow: lifecycleActions.purgeNow,
};
