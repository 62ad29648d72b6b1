import type { SessionMeta } from '@roster/auth';
import { recordAuditNow } from '@roster/core';
import { clientOf, type Context } from './context.ts';

/** What admins see about a session: the browser and address it was opened from. */
export function sessionMeta(ctx: Context): SessionMeta {
  return clientOf(ctx.req);
}

/** Opens a session for `userId` and hands its cookie to the transport. */
export async function startSession(ctx: Context, userId: string): Promise<void> {
  const { token } = await ctx.services.sessions.create(userId, sessionMeta(ctx));
  ctx.req.cookies.set(ctx.services.sessions.cookie(token, ctx.req.secure));
}

export async function endSession(ctx: Context): Promise<void> {
  if (ctx.session) {
    await ctx.services.sessions.invalidate(ctx.session.id);
    // Signing out without a session changes nothing, so only a real sign-out is recorded.
    await recordAuditNow(ctx.deps.em, { actorId: ctx.session.userId, action: 'auth.signOut', targetId: ctx.session.userId });
  }
  ctx.req.cookies.set(ctx.services.sessions.blankCookie(ctx.req.secure));
}
