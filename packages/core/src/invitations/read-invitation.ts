import { hashToken } from '@roster/auth';
import type { CoreDeps } from '../deps.ts';
import type { InvitationPreviewDto } from './dto.ts';
import { findOpenInvitation } from './invitation-token.ts';

/** For the public `/invite/[token]` page: who is invited and until when, or TOKEN_INVALID. */
export async function readInvitation(deps: CoreDeps, token: string): Promise<InvitationPreviewDto> {
  const inv = await findOpenInvitation(deps.em, await hashToken(token), deps.clock.now());
  return { email: inv.email, role: inv.role, expiresAt: new Date(inv.expiresAt).toISOString() };
}
