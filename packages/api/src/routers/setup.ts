import { adminUserSchema } from '@roster/core';
import { publicOptionsSchema, setupStatusSchema } from '../outputs/account.ts';
import { createOwner, emailSchema, nameSchema, passwordSchema, publicOptions, setupStatus } from '@roster/core';
import { z } from 'zod';
import { startSession } from '../session-cookie.ts';
import { publicProcedure } from '../procedures.ts';
import { t } from '../trpc.ts';

export const setupRouter = t.router({
  status: publicProcedure.output(setupStatusSchema).query(({ ctx }) => setupStatus(ctx.deps)),
  /** For the sign-in, sign-up, invitation and reset pages: `{signupEnabled, passwordMinLength}`. */
  options: publicProcedure.output(publicOptionsSchema).query(({ ctx }) => publicOptions(ctx.deps)),
  /** First run: creates the owner and signs them in; `token` is the one the web process printed (needed unless it listens on loopback only). */
  createOwner: publicProcedure
    .input(
      z.object({
        email: emailSchema,
        name: nameSchema,
        password: passwordSchema,
        // Any string: a wrong one is SETUP_TOKEN_INVALID (or SETUP_DONE once there is an owner), not a validation error.
        token: z.string().max(256).optional(),
      }),
    )
    .output(adminUserSchema).mutation(async ({ ctx, input }) => {
      const owner = await createOwner(ctx.deps, input);
      await startSession(ctx, owner.id);
      return owner;
    }),
});
