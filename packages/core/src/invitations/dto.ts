import type { Invitation } from '@roster/db';
import { z } from 'zod';
import { isoDateSchema } from '../output.ts';

export const INVITATION_STATUSES = ['pending', 'accepted', 'expired', 'revoked'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

const invitationRole = z.enum(['admin', 'user', 'pending']);

/** An invitation as admins see it; never the token or its hash. */
export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: invitationRole,
  status: z.enum(INVITATION_STATUSES),
  invitedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  expiresAt: isoDateSchema,
  acceptedAt: isoDateSchema.nullable(),
  revokedAt: isoDateSchema.nullable(),
  createdAt: isoDateSchema,
});
export type InvitationDto = z.infer<typeof invitationSchema>;

/** `invite` and `resend`: the link token, shown once. */
export const invitationLinkSchema = z.object({ invitation: invitationSchema, token: z.string(), path: z.string() });

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
export const invitationPreviewSchema = z.object({ email: z.string(), role: invitationRole, expiresAt: isoDateSchema });
export type InvitationPreviewDto = z.infer<typeof invitationPreviewSchema>;
