import { TRPCError } from '@trpc/server';
import { AppError, hasScope, type Actor, type Scope } from '@roster/core';
import { checkApiKey } from './api-key-gate.ts';
import type { EntityManager } from '@roster/db';
import { depsFor, withRequestAuditScope } from './context.ts';
import { toTRPCError } from './errors.ts';
import { refuseUnstorable } from './input-guard.ts';
import { t, type Meta } from './trpc.ts';

/**
 * What every call goes through, in one middleware: each tRPC middleware level
 * copies the call's options and context, and four levels of it cost more than
 * the EntityManager (bench/RESULTS.md, session check).
 * - Input PostgreSQL can store (input-guard.ts), then an API key's limits
 *   (api-key-gate.ts), before any other gate.
 * - Each call of a batch gets its own EntityManager: with one identity map, a
 *   call that failed half-way would have its changes flushed by a sibling,
 *   without its audit row. A lone call uses the request's.
 * - Every audit row the call writes names the caller, their address and user
 *   agent, without each use case being handed them.
 * - Domain errors leave the router as tRPC errors with their stable code.
 */
const callGate = t.middleware(async ({ ctx, meta, path, getRawInput, next }) => {
  try {
    await refuseUnstorable(getRawInput);
    await checkApiKey(ctx, meta, path, getRawInput);
  } catch (err) {
    throw err instanceof AppError ? toTRPCError(err) : err;
  }
  const own = ctx.loneCall ? null : (ctx.em.fork() as EntityManager);
  const deps = own ? depsFor(ctx.services, own, ctx.req, ctx.deps.permissionValues, ctx.apiKey) : ctx.deps;
  const res = await withRequestAuditScope({ actor: ctx.actor, deps }, () => (own ? next({ ctx: { em: own, deps } }) : next()));
  if (!res.ok && res.error.cause instanceof AppError) throw toTRPCError(res.error.cause);
  return res;
});

const deny = (code: 'UNAUTHENTICATED' | 'PENDING_APPROVAL' | 'PASSWORD_CHANGE_REQUIRED' | 'FORBIDDEN') =>
  toTRPCError(new AppError(code));

/** Signed in, and past the approval and password-change gates unless the procedure opts out. */
const signedIn = t.middleware(async ({ ctx, meta, next }) => {
  const actor = ctx.actor;
  if (!actor || (!ctx.session && !ctx.apiKey) || !ctx.account) throw deny('UNAUTHENTICATED');
  if (actor.role === 'pending' && !meta?.allowPending) throw deny('PENDING_APPROVAL');
  if (actor.mustChangePassword && !meta?.allowMustChange) throw deny('PASSWORD_CHANGE_REQUIRED');
  return next({ ctx: { actor: actor as Actor, session: ctx.session, account: ctx.account } });
});

const base = t.procedure.use(callGate);

export const publicProcedure = base.meta({ access: 'public' });

/** For procedures every signed-in user may call (their own data). */
export const signedInProcedure = (meta: Omit<Meta, 'access'> = {}) =>
  base.meta({ access: 'signedIn', ...meta }).use(signedIn);

/** For procedures that need a named scope from the role table in core; `fieldScopes` declares what core checks per field. */
export const scopedProcedure = (scope: Scope, extra: Pick<Meta, 'fieldScopes' | 'noApiKey'> = {}) =>
  base
    .meta({ access: { scope }, ...extra })
    .use(signedIn)
    .use(({ ctx, next }) => {
      if (!hasScope(ctx.actor, scope)) throw deny('FORBIDDEN');
      return next();
    });

export { TRPCError };
