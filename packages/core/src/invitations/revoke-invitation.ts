import { Invitation } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { toInvitationDto, type InvitationDto } from './dto.ts';

/**
 * Kills an invitation's link. Revoking twice is harmless; an accepted one
 * cannot be revoked (suspend or delete the account instead). The update is
 * conditional, so it cannot race an acceptance into both states.
 */
export async function revokeInvitation(deps: CoreDeps, actor: Actor, id: string): Promise<InvitationDto> {
  const now = deps.clock.now();
  await deps.em.transactional(async (em) => {
    const changed = await em.nativeUpdate(Invitation, { id, acceptedAt: null, revokedAt: null }, { revokedAt: now });
    if (changed) recordAudit(em, { actorId: actor.id, action: 'invitation.revoke', details: { invitationId: id } });
  });
  const inv = await deps.em.findOne(Invitation, id, { populate: ['invitedBy'], refresh: true });
  if (!inv) throw new AppError('NOT_FOUND', 'Invitation not found');
  if (inv.acceptedAt) throw new AppError('INVITATION_CLOSED', 'This invitation was already accepted');
  return toInvitationDto(inv, now);
}
