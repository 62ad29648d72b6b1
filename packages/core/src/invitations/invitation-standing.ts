import { User, type Invitation } from '@roster/db';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { hasScope } from '../permissions/scopes.ts';
import { getSettings } from '../settings/instance-settings.ts';
import { assertMayGrantRole } from '../users/rules.ts';

const STALE = 'This invitation no longer stands: whoever sent it can no longer grant that role. Ask an administrator for a new one';

/**
 * An invitation is the inviter's decision, so it is re-checked when opened
 * and when accepted against the rules as they are now: the inviter must
 * still be an active account allowed to invite, and allowed to grant the
 * role (an admin invitation made while `adminsCanCreateAdmins` was on stops
 * working once it is off, or once its inviter is no longer an admin).
 * Decision: refused (INVITATION_CLOSED), not downgraded to a lesser role —
 * the invitee would otherwise join with rights nobody chose for them; the
 * invitation itself is left as it is, so it works again if the rules allow.
 */
export async function assertInvitationStands(deps: Pick<CoreDeps, 'em'>, inv: Invitation): Promise<void> {
  const inviterId = inv.invitedBy?.id;
  const inviter = inviterId ? await deps.em.findOne(User, inviterId) : null;
  if (!inviter || inviter.status !== 'active' || !hasScope(inviter, 'user:invite')) throw new AppError('INVITATION_CLOSED', STALE);
  try {
    assertMayGrantRole(inviter satisfies Actor, null, inv.role, await getSettings(deps));
  } catch (err) {
    if (err instanceof AppError) throw new AppError('INVITATION_CLOSED', STALE);
    throw err;
  }
}
