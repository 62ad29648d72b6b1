import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import { groupActions } from '#lib/server/group-actions.ts';
import type { Actions, PageServerLoad } from './$types';

/** Every group with its size and what it grants and denies; the catalogue feeds the create dialog's checkboxes. */
export const load: PageServerLoad = async (event) => {
  const caller = api(event);
  const fail = (path: string) => (err: unknown) => failLoad(err, event, path);
  const [groups, catalogue, template] = await Promise.all([
    caller.admin.groups.list().catch(fail('admin.groups.list')),
    caller.admin.permissions.catalogue().catch(fail('admin.permissions.catalogue')),
    caller.admin.permissions.getDefault().catch(fail('admin.permissions.getDefault')),
  ]);
  return { groups: groups.items, catalogue: catalogue.items, defaults: template.permissions, deleted: event.url.searchParams.has('deleted') };
};

export const actions: Actions = { create: groupActions.create };
