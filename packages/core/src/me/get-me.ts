import { User } from '@roster/db';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { toAdminUser, type AdminUserDto } from '../users/dto.ts';

/** The caller's own account, in the same shape admins see (it holds nothing secret). */
export async function getMe(deps: CoreDeps, actor: Actor): Promise<AdminUserDto> {
  const user = await deps.em.findOne(User, actor.id);
  if (!user) throw new AppError('UNAUTHENTICATED');
  return toAdminUser(user, deps.clock.now());
}
