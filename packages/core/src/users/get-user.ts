import type { Actor, CoreDeps } from '../deps.ts';
import { getSettings } from '../settings/instance-settings.ts';
import { toAdminUser, type AdminUserDto } from './dto.ts';
import { findUserOrFail } from './fields.ts';
import { allowedActions, type UserAction } from './rules.ts';
import { offeredUserActions, type OfferedUserAction } from './user-actions.ts';

export interface AdminUserDetailDto extends AdminUserDto {
  /** What the rules let the caller do to this user (the router still checks each call), so pages and the CLI offer only that. */
  may: Record<UserAction, boolean>;
  /** Which actions to offer on this user, with scopes and the account's state taken in (user-actions.ts): what pages show buttons for. */
  actions: Record<OfferedUserAction, boolean>;
}

export async function getUser(deps: CoreDeps, actor: Actor, id: string): Promise<AdminUserDetailDto> {
  const user = await findUserOrFail(deps.em, id);
  const policy = await getSettings(deps);
  return { ...toAdminUser(user, deps.clock.now()), may: allowedActions(actor, user, policy), actions: offeredUserActions(actor, user, policy) };
}
