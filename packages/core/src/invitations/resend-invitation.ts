import { Invitation } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { getSettings } from '../settings/instance-settings.ts';
import { assertEmailFree } from '../users/fields.ts';
import { assertMayGrantRole } from '../users/rules.ts';
import { toInvitationDto } from './dto.ts';
import { invitationPath, newInvitationToken } from './invitation-token.ts';
import type { InvitationLink } from './invite-user.ts';

/**
 * A new link for an invitation that is still open or merely expired: new
 * token, new 7-day expiry; the old token stops working because its hash is
 * replaced. The role grant is checked again, as the instance's rules may
 * have changed since.
 */
export async function resendInvitation(deps: CoreDeps, actor: Actor, id: string): Promise<InvitationLink> {
  const inv = await deps.em.findOne(Invitation, id, { populate: ['invitedBy'] });
  if (!inv) throw new AppError('NOT_FOUND', 'Invitation not found');
  if (inv.acceptedAt || inv.revokedAt) throw new AppError('INVITATION_CLOSED');
  assertMayGrantRole(actor, null, inv.role, await getSettings(deps));
  await assertEmailFree(deps.em, inv.email);
  const now = deps.clock.now();
  const { token, tokenHash, expiresAt } = await newInvitationToken(now);
  await deps.em.transactional(async (em) => {
    const changed = await em.nativeUpdate(Invitation, { id, acceptedAt: null, revokedAt: null }, { tokenHash, expiresAt });
    if (!changed) throw new AppError('INVITATION_CLOSED');
    recordAudit(em, { actorId: actor.id, action: 'invitation.resend', details: { invitationId: id, email: inv.email } });
  });
  await deps.em.refresh(inv, { populate: ['invitedBy'] });
  return { invitation: toInvitationDto(inv, now), token, path: invitationPath(token) };
}
