import { adminUserSchema, okSchema } from '@roster/core';
import { signedInSchema } from '../outputs/account.ts';
import { getMe, signIn, toAdminUser } from '@roster/core';
import { User } from '@roster/db';
import { z } from 'zod';
import { endSession, sessionMeta } from '../session-cookie.ts';
import { authLinkProcedures } from './auth-links.ts';
import { publicProcedure, signedInProcedure } from '../procedures.ts';
import { t } from '../trpc.ts';

export const authRouter = t.router({
  ...authLinkProcedures,
  signIn: publicProcedure
    // No format rules on sign-in: any wrong input is just wrong credentials.
    .input(z.object({ email: z.string().trim().max(254), password: z.string().max(256) }))
    .output(signedInSchema).mutation(async ({ ctx, input }) => {
      const { session, token, userId } = await signIn(ctx.deps, input, sessionMeta(ctx));
      ctx.req.cookies.set(ctx.services.sessions.cookie(token, ctx.req.secure));
      const user = await ctx.deps.em.findOneOrFail(User, userId);
      return { user: toAdminUser(user, ctx.deps.clock.now()), expiresAt: session.expiresAt.toISOString() };
    }),
  signOut: publicProcedure.output(okSchema).mutation(async ({ ctx }) => {
    await endSession(ctx);
    return { ok: true as const };
  }),
  me: signedInProcedure({ allowPending: true, allowMustChange: true }).output(adminUserSchema).query(({ ctx }) => getMe(ctx.deps, ctx.account)),
});
