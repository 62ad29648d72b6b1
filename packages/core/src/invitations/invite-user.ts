import { Invitation } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { getSettings } from '../settings/instance-settings.ts';
import { assertEmailFree } from '../users/fields.ts';
import { assertMayGrantRole } from '../users/rules.ts';
import { toInvitationDto, type InvitationDto } from './dto.ts';
import { invitationPath, newInvitationToken } from './invitation-token.ts';

export interface InvitationLink {
  invitation: InvitationDto;
  /** Shown once; only its SHA-256 is stored. */
  token: string;
  path: string;
}

/**
 * Invites an address that has no account yet. A new invitation revokes the
 * address's earlier open ones, so at most one link per address works.
 */
export async function inviteUser(
  deps: CoreDeps,
  actor: Actor,
  input: { email: string; role: Invitation['role'] },
): Promise<InvitationLink> {
  assertMayGrantRole(actor, null, input.role, await getSettings(deps));
  const email = input.email.toLowerCase();
  await assertEmailFree(deps.em, email);
  const now = deps.clock.now();
  const { token, tokenHash, expiresAt } = await newInvitationToken(now);
  const invitation = await deps.em.transactional(async (em) => {
    await em.nativeUpdate(Invitation, { email, acceptedAt: null, revokedAt: null }, { revokedAt: now });
    const inv = em.create(Invitation, { email, role: input.role, tokenHash, invitedBy: actor.id, expiresAt });
    recordAudit(em, { actorId: actor.id, action: 'invitation.create', details: { invitationId: inv.id, email, role: input.role } });
    return inv;
  });
  await deps.em.populate(invitation, ['invitedBy']);
  return { invitation: toInvitationDto(invitation, now), token, path: invitationPath(token) };
}
