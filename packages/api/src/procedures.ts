import { TRPCError } from '@trpc/server';
import { AppError, hasScope, type Actor, type Scope } from '@roster/core';
import type { EntityManager } from '@roster/db';
import { depsFor } from './context.ts';
import { toTRPCError } from './errors.ts';
import { storableInput } from './input-guard.ts';
import { t, type Meta } from './trpc.ts';

/**
 * Each call gets its own EntityManager: the calls of one batch share the
 * request's context, and with one identity map a call that failed half-way
 * would have its changes flushed by a sibling, without its audit row.
 */
const ownEntityManager = t.middleware(({ ctx, next }) => {
  const em = ctx.em.fork() as EntityManager;
  return next({ ctx: { em, deps: depsFor(ctx.services, em, ctx.req, ctx.deps.permissionValues) } });
});

/** Domain errors leave the router as tRPC errors with their stable code. */
const domainErrors = t.middleware(async ({ next }) => {
  const res = await next();
  if (!res.ok && res.error.cause instanceof AppError) throw toTRPCError(res.error.cause);
  return res;
});

const deny = (code: 'UNAUTHENTICATED' | 'PENDING_APPROVAL' | 'PASSWORD_CHANGE_REQUIRED' | 'FORBIDDEN') =>
  toTRPCError(new AppError(code));

/** Signed in, and past the approval and password-change gates unless the procedure opts out. */
const signedIn = t.middleware(async ({ ctx, meta, next }) => {
  const actor = ctx.actor;
  if (!actor || !ctx.session || !ctx.account) throw deny('UNAUTHENTICATED');
  if (actor.role === 'pending' && !meta?.allowPending) throw deny('PENDING_APPROVAL');
  if (actor.mustChangePassword && !meta?.allowMustChange) throw deny('PASSWORD_CHANGE_REQUIRED');
  return next({ ctx: { actor: actor as Actor, session: ctx.session, account: ctx.account } });
});

// Inputs are checked for what PostgreSQL cannot store before the gates, so the check covers every procedure.
const base = t.procedure.use(ownEntityManager).use(domainErrors).use(storableInput);

export const publicProcedure = base.meta({ access: 'public' });

/** For procedures every signed-in user may call (their own data). */
export const signedInProcedure = (meta: Omit<Meta, 'access'> = {}) =>
  base.meta({ access: 'signedIn', ...meta }).use(signedIn);

/** For procedures that need a named scope from the role table in core; `fieldScopes` declares what core checks per field. */
export const scopedProcedure = (scope: Scope, extra: Pick<Meta, 'fieldScopes'> = {}) =>
  base
    .meta({ access: { scope }, ...extra })
    .use(signedIn)
    .use(({ ctx, next }) => {
      if (!hasScope(ctx.actor, scope)) throw deny('FORBIDDEN');
      return next();
    });

export { TRPCError };
