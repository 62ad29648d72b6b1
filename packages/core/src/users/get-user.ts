import type { Actor, CoreDeps } from '../deps.ts';
import { getSettings } from '../settings/instance-settings.ts';
import { toAdminUser, type AdminUserDto } from './dto.ts';
import { findUserOrFail } from './fields.ts';
import { allowedActions, type UserAction } from './rules.ts';

export interface AdminUserDetailDto extends AdminUserDto {
  /** What the rules let the caller do to this user (the router still checks each call), so pages and the CLI offer only that. */
  may: Record<UserAction, boolean>;
}

export async function getUser(deps: CoreDeps, actor: Actor, id: string): Promise<AdminUserDetailDto> {
  const user = await findUserOrFail(deps.em, id);
  return { ...toAdminUser(user, deps.clock.now()), may: allowedActions(actor, user, await getSettings(deps)) };
}
