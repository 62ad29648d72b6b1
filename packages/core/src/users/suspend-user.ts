import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { toAdminUser, type AdminUserDto } from './dto.ts';
import { findUserOrFail } from './fields.ts';
import { checkMayAct } from './rules.ts';

/** Suspension ends every session; sign-in is refused until it is lifted or `until` passes. */
export async function suspendUser(
  deps: CoreDeps,
  actor: Actor,
  input: { id: string; reason: string; until?: Date | null },
): Promise<AdminUserDto> {
  const user = await findUserOrFail(deps.em, input.id);
  await checkMayAct(deps, actor, user, 'suspend');
  if (user.status === 'deleted') throw new AppError('USER_NOT_FOUND', 'This user is deleted');
  if (input.until && input.until <= deps.clock.now())
    throw new AppError('VALIDATION', 'The end of a suspension must be in the future', { until: ['Must be in the future'] });
  user.status = 'suspended';
  user.suspendedReason = input.reason;
  user.suspendedUntil = input.until ?? null;
  recordAudit(deps.em, { actorId: actor.id, action: 'user.suspend', targetId: user.id, details: { reason: input.reason } });
  await deps.em.flush();
  await deps.sessions.invalidateUser(user.id);
  return toAdminUser(user, deps.clock.now());
}

export async function unsuspendUser(deps: CoreDeps, actor: Actor, id: string): Promise<AdminUserDto> {
  const user = await findUserOrFail(deps.em, id);
  await checkMayAct(deps, actor, user, 'suspend');
  if (user.status === 'suspended') {
    user.status = 'active';
    user.suspendedReason = null;
    user.suspendedUntil = null;
    recordAudit(deps.em, { actorId: actor.id, action: 'user.unsuspend', targetId: user.id });
    await deps.em.flush();
  }
  return toAdminUser(user, deps.clock.now());
}
