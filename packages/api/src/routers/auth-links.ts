import {
  emailSchema,
  nameSchema,
  passwordSchema,
  signUp,
} from '@roster/core';
import { z } from 'zod';
import { startSession } from '../session-cookie.ts';
import { publicProcedure } from '../procedures.ts';

/** Public ways into an account: sign-up, invitation links, reset links (spread into `auth`). */
export const authLinkProcedures = {
  /** Only while `signupEnabled`; signs the new (by default pending) user in. */
  signUp: publicProcedure
    .input(z.object({ email: emailSchema, name: nameSchema, password: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      const user = await signUp(ctx.deps, input);
      await startSession(ctx, user.id);
      return { user };
    }),
};
