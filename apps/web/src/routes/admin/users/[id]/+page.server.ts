import { error } from '@sveltejs/kit';
import { adminApiKeyActions } from '#lib/server/api-key-actions.ts';
import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import { userAccess } from '#lib/server/user-access.ts';
import { userAccessActions } from '#lib/server/user-access-actions.ts';
import { lifecycleActions } from '#lib/server/user-actions.ts';
import { userFormActions } from '#lib/server/user-form-actions.ts';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One user and everything an admin may do to them; the router still decides each action. */
export const load: PageServerLoad = async (event) => {
  const { id } = event.params;
  if (!UUID.test(id)) error(404, 'User not found');
  const caller = api(event);
  const fail = (path: string) => (err: unknown) => failLoad(err, event, path);
  const user = await caller.admin.users.get({ id }).catch(fail('admin.users.get'));
  const deleted = user.status === 'deleted';
  // What core does not offer the viewer (user.actions; a deleted user's sessions are gone already) is not even read.
  const sessions = !user.actions.readSessions ? [] : await caller.admin.users.sessions({ id }).catch(fail('admin.users.sessions'));
  const preview = user.may.delete ? await caller.admin.users.deletionPreview({ id }).catch(fail('admin.users.deletionPreview')) : null;
  const access = deleted ? null : await userAccess(event, id).catch(fail('admin.users.permissions'));
  const apiKeys = deleted ? [] : await caller.admin.apiKeys.list({ userId: id }).catch(fail('admin.apiKeys.list'));
  return {
    access,
    apiKeys,
    user,
    sessions,
    preview,
  };
};

export const actions: Actions = {
  ...userFormActions,
  ...userAccessActions,
  ...lifecycleActions,
  ...adminApiKeyActions,
};
