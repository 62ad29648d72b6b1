import type { FilterQuery } from '@mikro-orm/core';
import { Invitation } from '@roster/db';
import type { CoreDeps } from '../deps.ts';
import { toInvitationDto, type InvitationDto, type InvitationStatus } from './dto.ts';

export interface ListInvitationsInput {
  status?: InvitationStatus;
  page: number;
  pageSize: number;
}

/** The same rules as `invitationStatus`, as a query, so the filter and the badge never disagree. */
function whereStatus(status: InvitationStatus | undefined, now: Date): FilterQuery<Invitation> {
  switch (status) {
    case 'accepted':
      return { acceptedAt: { $ne: null } };
    case 'revoked':
      return { acceptedAt: null, revokedAt: { $ne: null } };
    case 'expired':
      return { acceptedAt: null, revokedAt: null, expiresAt: { $lte: now } };
    case 'pending':
      return { acceptedAt: null, revokedAt: null, expiresAt: { $gt: now } };
    default:
      return {};
  }
}

export async function listInvitations(deps: CoreDeps, input: ListInvitationsInput): Promise<{ items: InvitationDto[]; total: number }> {
  const now = deps.clock.now();
  const [rows, total] = await deps.em.findAndCount(Invitation, whereStatus(input.status, now), {
    populate: ['invitedBy'],
    orderBy: { createdAt: 'desc', id: 'asc' },
    limit: input.pageSize,
    offset: (input.page - 1) * input.pageSize,
  });
  return { items: rows.map((r) => toInvitationDto(r, now)), total };
}
