import type { RequestEvent } from '@sveltejs/kit';
import { api } from './caller.ts';

/** A user's groups and effective permissions with their sources, shaped for UserPermissions. */
export async function userAccess(event: Pick<RequestEvent, 'locals'>, id: string) {
  const caller = api(event);
  const [groups, effective] = await Promise.all([caller.admin.users.groups({ id }), caller.admin.users.permissions({ id })]);
  return { groups: groups.items, permissions: effective.items };
}
