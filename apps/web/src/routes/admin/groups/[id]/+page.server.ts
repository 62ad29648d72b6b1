import { error } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import { groupActions } from '#lib/server/group-actions.ts';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One group: its members and managers, and what it grants and denies. */
export const load: PageServerLoad = async (event) => {
  const { id } = event.params;
  if (!UUID.test(id)) error(404, 'Group not found');
  const caller = api(event);
  const fail = (path: string) => (err: unknown) => failLoad(err, event, path);
  const [group, catalogue, template] = await Promise.all([
    caller.admin.groups.get({ id }).catch(fail('admin.groups.get')),
    caller.admin.permissions.catalogue().catch(fail('admin.permissions.catalogue')),
    caller.admin.permissions.getDefault().catch(fail('admin.permissions.getDefault')),
  ]);
  return { group, catalogue: catalogue.items, defaults: template.permissions };
};

export const actions: Actions = {
  update: groupActions.update,
  delete: groupActions.delete,
  addMembers: groupActions.addMembers,
  removeMembers: groupActions.removeMembers,
  setManager: groupActions.setManager,
};
