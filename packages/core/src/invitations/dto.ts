import type { Invitation } from '@roster/db';

export const INVITATION_STATUSES = ['pending', 'accepted', 'expired', 'revoked'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** An invitation as admins see it; never the token or its hash. */
export interface InvitationDto {
  id: string;
  email: string;
  role: Invitation['role'];
  status: InvitationStatus;
  invitedBy: { id: string; name: string } | null;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

/** Computed, never stored, so an open invitation turns `expired` by the clock alone. */
export function invitationStatus(inv: Pick<Invitation, 'acceptedAt' | 'revokedAt' | 'expiresAt'>, now: Date): InvitationStatus {
  if (inv.acceptedAt) return 'accepted';
  if (inv.revokedAt) return 'revoked';
  return new Date(inv.expiresAt) <= now ? 'expired' : 'pending';
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** `invitedBy` must be loaded (populate) for its name to show. */
export function toInvitationDto(inv: Invitation, now: Date): InvitationDto {
  const by = inv.invitedBy;
  return {
    id: inv.id,
    email: inv.email,
    role: inv.role,
    status: invitationStatus(inv, now),
    invitedBy: by ? { id: by.id, name: by.name } : null,
    expiresAt: new Date(inv.expiresAt).toISOString(),
    acceptedAt: iso(inv.acceptedAt),
    revokedAt: iso(inv.revokedAt),
    createdAt: new Date(inv.createdAt).toISOString(),
  };
}

/** What the invitee's page shows before they accept. */
export interface InvitationPreviewDto {
  email: string;
  role: Invitation['role'];
  expiresAt: string;
}
