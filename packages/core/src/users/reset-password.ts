import { generatePassword, hashPassword } from '@roster/auth';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { findUserOrFail } from './fields.ts';
import { checkMayAct } from './rules.ts';

/** Immich: a random password shown once, a change required at next sign-in, every session ended. */
export async function resetPassword(deps: CoreDeps, actor: Actor, id: string): Promise<{ password: string }> {
  const user = await findUserOrFail(deps.em, id);
  await checkMayAct(deps, actor, user, 'resetPassword');
  const password = generatePassword();
  user.passwordHash = await hashPassword(password);
  user.mustChangePassword = true;
  recordAudit(deps.em, { actorId: actor.id, action: 'user.resetPassword', targetId: user.id });
  await deps.em.flush();
  await deps.sessions.invalidateUser(user.id);
  return { password };
}
