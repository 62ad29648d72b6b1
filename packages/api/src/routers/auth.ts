import { signIn, toAdminUser, AppError } from '@roster/core';
import { User } from '@roster/db';
import { z } from 'zod';
import { endSession } from '../session-cookie.ts';
import { authLinkProcedures } from './auth-links.ts';
import { publicProcedure, signedInProcedure } from '../procedures.ts';
import { t } from '../trpc.ts';

export const authRouter = t.router({
  ...authLinkProcedures,
  signIn: publicProcedure
    // No format rules on sign-in: any wrong input is just wrong credentials.
    .input(z.object({ email: z.string().trim().max(254), password: z.string().max(256) }))
    .mutation(async ({ ctx, input }) => {
      const { session, userId } = await signIn(ctx.deps, input, {
        userAgent: ctx.req.headers.get('user-agent')?.slice(0, 400) ?? null,
        ip: ctx.req.ip,
      });
      ctx.req.cookies.set(ctx.services.sessions.cookie(session.id, ctx.req.secure));
      const user = await ctx.em.findOneOrFail(User, userId);
      return { user: toAdminUser(user, ctx.deps.clock.now()), expiresAt: session.expiresAt.toISOString() };
    }),
  signOut: publicProcedure.mutation(async ({ ctx }) => {
    await endSession(ctx);
    return { ok: true as const };
  }),
  me: signedInProcedure({ allowPending: true, allowMustChange: true }).query(async ({ ctx }) => {
    const user = await ctx.em.findOne(User, ctx.actor.id);
    if (!user) throw new AppError('UNAUTHENTICATED');
    return toAdminUser(user, ctx.deps.clock.now());
  }),
});
