import { hashToken } from '@roster/auth';
import type { CoreDeps } from '../deps.ts';
import type { InvitationPreviewDto } from './dto.ts';
import { findOpenInvitation } from './invitation-token.ts';
import { assertInvitationStands } from './invitation-standing.ts';

/** For the public `/invite/[token]` page: who is invited and until when, or TOKEN_INVALID (INVITATION_CLOSED when its inviter can no longer grant it). */
export async function readInvitation(deps: CoreDeps, token: string): Promise<InvitationPreviewDto> {
  const inv = await findOpenInvitation(deps.em, await hashToken(token), deps.clock.now());
  await assertInvitationStands(deps, inv);
  return { email: inv.email, role: inv.role, expiresAt: new Date(inv.expiresAt).toISOString() };
}
