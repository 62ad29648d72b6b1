import type { CoreDeps } from '../deps.ts';
import { toAdminUser, type AdminUserDto, type SessionAccount } from '../users/dto.ts';

/**
 * The caller's own account, in the same shape admins see (it holds nothing
 * secret), from the row the session lookup read: a session check costs one
 * statement.
 */
export function getMe(deps: CoreDeps, account: SessionAccount): AdminUserDto {
  return toAdminUser(account, deps.clock.now());
}
