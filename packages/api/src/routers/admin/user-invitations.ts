import { invitationLinkSchema, invitationSchema, pageOf } from '@roster/core';
import {
  idSchema,
  INVITATION_STATUSES,
  inviteUser,
  listInvitations,
  pageSchema,
  resendInvitation,
  revokeInvitation,
  emailSchema,
} from '@roster/core';
import { z } from 'zod';
import { scopedProcedure } from '../../procedures.ts';

const byId = z.object({ id: idSchema });

/** Invitations (`admin.users.invite` and friends); spread into `admin.users` by index.ts. */
export const invitationAdminProcedures = {
  /** Returns the link token once: `{invitation, token, path}`. */
  invite: scopedProcedure('user:invite')
    .input(z.object({ email: emailSchema, role: z.enum(['admin', 'user', 'pending']).default('user') }))
    .output(invitationLinkSchema).mutation(({ ctx, input }) => inviteUser(ctx.deps, ctx.actor, input)),
  invitations: scopedProcedure('user:invite')
    .input(z.object({ status: z.enum(INVITATION_STATUSES).optional(), ...pageSchema }).default({ page: 1, pageSize: 25 }))
    .output(pageOf(invitationSchema)).query(({ ctx, input }) => listInvitations(ctx.deps, input)),
  revokeInvitation: scopedProcedure('user:invite')
    .input(byId)
    .output(invitationSchema).mutation(({ ctx, input }) => revokeInvitation(ctx.deps, ctx.actor, input.id)),
  /** A new token and expiry; the old link stops working. */
  resendInvitation: scopedProcedure('user:invite')
    .input(byId)
    .output(invitationLinkSchema).mutation(({ ctx, input }) => resendInvitation(ctx.deps, ctx.actor, input.id)),
};
