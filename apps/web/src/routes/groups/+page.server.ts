import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import { actionFailure, fieldFailure, text } from '#lib/server/form.ts';
import { managedGroups } from '#lib/server/managed-groups.ts';
import type { Actions, PageServerLoad } from './$types';

/** The groups the signed-in user manages, with their members: they add and remove people, nothing else. */
export const load: PageServerLoad = async (event) => {
  await event.parent(); // the layout's guard first
  const all = await managedGroups(event).catch((err) => failLoad(err, event, 'groups.mine'));
  return {
    managed: all.filter((g) => g.manager).map((g) => ({ ...g, members: g.members ?? [] })),
    memberOf: all.filter((g) => !g.manager),
  };
};

const userIdsOf = (form: FormData) => [...new Set(form.getAll('userIds').map(String).filter(Boolean))];
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export const actions: Actions = {
  addMembers: async (event) => {
    const form = await event.request.formData();
    const userIds = userIdsOf(form);
    if (!userIds.length) return fieldFailure('userIds', 'Choose at least one person to add');
    try {
      const { results } = await api(event).groups.addMembers({ groupId: text(form, 'groupId'), userIds });
      const added = results.filter((r) => r.outcome === 'added').length;
      return { toast: added ? `${count(added, 'person', 'people')} added` : 'Nobody new was added' };
    } catch (err) {
      return actionFailure(err, event, 'groups.addMembers', ['userIds']);
    }
  },
  removeMembers: async (event) => {
    const form = await event.request.formData();
    try {
      const { results } = await api(event).groups.removeMembers({ groupId: text(form, 'groupId'), userIds: userIdsOf(form) });
      const removed = results.filter((r) => r.outcome === 'removed').length;
      return { toast: removed ? `${count(removed, 'person', 'people')} removed` : 'Nobody was removed' };
    } catch (err) {
      return actionFailure(err, event, 'groups.removeMembers');
    }
  },
};
