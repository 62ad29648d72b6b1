import { invitationPreviewSchema } from '@roster/core';
import { emailOnlySchema, resetLinkPreviewSchema } from '../outputs/account.ts';
import { userResultSchema } from '../outputs/users.ts';
import {
  acceptInvitation,
  emailSchema,
  nameSchema,
  passwordSchema,
  readInvitation,
  readResetLink,
  resetPasswordWithLink,
  signUp,
} from '@roster/core';
import { z } from 'zod';
import { startSession } from '../session-cookie.ts';
import { publicProcedure } from '../procedures.ts';

/** Link tokens are 40 alphanumerics; anything else cannot be one, so zod refuses it before a lookup. */
const token = z.string().regex(/^[A-Za-z0-9]{20,100}$/, 'Not a valid link');

/** Public ways into an account: sign-up, invitation links, reset links (spread into `auth`). */
export const authLinkProcedures = {
  /** Only while `signupEnabled`; signs the new (by default pending) user in. */
  signUp: publicProcedure
    .input(z.object({ email: emailSchema, name: nameSchema, password: passwordSchema }))
    .output(userResultSchema).mutation(async ({ ctx, input }) => {
      const user = await signUp(ctx.deps, input);
      await startSession(ctx, user.id);
      return { user };
    }),
  invitation: publicProcedure
    .input(z.object({ token }))
    .output(invitationPreviewSchema).query(({ ctx, input }) => readInvitation(ctx.deps, input.token)),
  /** Creates the invited account and signs it in. */
  acceptInvitation: publicProcedure
    .input(z.object({ token, name: nameSchema, password: passwordSchema }))
    .output(userResultSchema).mutation(async ({ ctx, input }) => {
      const user = await acceptInvitation(ctx.deps, input);
      await startSession(ctx, user.id);
      return { user };
    }),
  resetLink: publicProcedure
    .input(z.object({ token }))
    .output(resetLinkPreviewSchema).query(({ ctx, input }) => readResetLink(ctx.deps, input.token)),
  /** Sets the password and ends every session; the user signs in afresh. */
  resetPassword: publicProcedure
    .input(z.object({ token, password: passwordSchema }))
    .output(emailOnlySchema).mutation(({ ctx, input }) => resetPasswordWithLink(ctx.deps, input)),
};
