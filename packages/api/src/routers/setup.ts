import { createOwner, emailSchema, nameSchema, passwordSchema, publicOptions, setupStatus } from '@roster/core';
import { z } from 'zod';
import { startSession } from '../session-cookie.ts';
import { publicProcedure } from '../procedures.ts';
import { t } from '../trpc.ts';

export const setupRouter = t.router({
  status: publicProcedure.query(({ ctx }) => setupStatus(ctx.deps)),
  /** For the sign-in, sign-up, invitation and reset pages: `{signupEnabled, passwordMinLength}`. */
  options: publicProcedure.query(({ ctx }) => publicOptions(ctx.deps)),
  /** First run: creates the owner and signs them in. */
  createOwner: publicProcedure
    .input(z.object({ email: emailSchema, name: nameSchema, password: passwordSchema }))
    .mutation(async ({ ctx, input }) => {
      const owner = await createOwner(ctx.deps, input);
      await startSession(ctx, owner.id);
      return owner;
    }),
});
