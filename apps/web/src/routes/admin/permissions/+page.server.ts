import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import { actionFailure } from '#lib/server/form.ts';
import { postedKeys } from '#lib/permissions.ts';
import type { Actions, PageServerLoad } from './$types';

/** The default permission template: what every user may do before any group grants or denies. */
export const load: PageServerLoad = async (event) => {
  const caller = api(event);
  const fail = (path: string) => (err: unknown) => failLoad(err, event, path);
  const [catalogue, template] = await Promise.all([
    caller.admin.permissions.catalogue().catch(fail('admin.permissions.catalogue')),
    caller.admin.permissions.getDefault().catch(fail('admin.permissions.getDefault')),
  ]);
  return { catalogue: catalogue.items, permissions: template.permissions };
};

export const actions: Actions = {
  /** The whole template in one call: every catalogue key, ticked or not (an unticked box posts nothing). */
  save: async (event) => {
    const form = await event.request.formData();
    const caller = api(event);
    try {
      const { items: keys } = await caller.admin.permissions.catalogue();
      const allowed = new Set(postedKeys(form, 'allowed', keys));
      await caller.admin.permissions.setDefault({ permissions: Object.fromEntries(keys.map((e) => [e.key, allowed.has(e.key)])) });
      return { toast: 'Default permissions saved' };
    } catch (err) {
      return actionFailure(err, event, 'admin.permissions.setDefault');
    }
  },
};
