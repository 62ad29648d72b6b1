import { TRPCError } from '@trpc/server';
import type { RequestEvent } from '@sveltejs/kit';
import { api } from './caller.ts';

/** The signed-in user's DTO from `auth.me`, or null when nobody (valid) is signed in. */
export async function currentUser(event: Pick<RequestEvent, 'locals'>) {
  if (!event.locals.ctx.actor) return null;
  try {
    return await api(event).auth.me();
  } catch (err) {
    if (err instanceof TRPCError && err.code === 'UNAUTHORIZED') return null;
    throw err;
  }
}

export type CurrentUser = NonNullable<Awaited<ReturnType<typeof currentUser>>>;

/** Roles that get the admin shell; the router still checks each procedure's scope. */
export const isAdmin = (u: { role: string }) => u.role === 'owner' || u.role === 'admin';
