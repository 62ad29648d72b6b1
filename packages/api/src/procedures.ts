import { TRPCError } from '@trpc/server';
import type { ValidSession } from '@roster/auth';
import { AppError, hasScope, type Actor, type Scope, type SessionAccount } from '@roster/core';
import { checkApiKey } from './api-key-gate.ts';
import type { EntityManager } from '@roster/db';
import { depsFor, withRequestAuditScope, type Context } from './context.ts';
import { toTRPCError } from './errors.ts';
import { refuseUnstorable } from './input-guard.ts';
import { t, type Meta } from './trpc.ts';

/**
 * What every call goes through, in one middleware: each tRPC middleware level
 * copies the call's options, and a level that narrows the context copies the
 * context too, which cost more than the EntityManager (bench/RESULTS.md,
 * session check).
 * - Input PostgreSQL can store (input-guard.ts), then an API key's limits
 *   (api-key-gate.ts), before any other gate; then who may call (`authorize`).
 * - Each call of a batch gets its own EntityManager: with one identity map, a
 *   call that failed half-way would have its changes flushed by a sibling,
 *   without its audit row. A lone call uses the request's.
 * - Every audit row the call writes names the caller, their address and user
 *   agent, without each use case being handed them.
 * - Domain errors leave the router as tRPC errors with their stable code.
 *
 * `Checked` is the context `authorize` guarantees (SignedIn): the type the
 * procedures see, without tRPC copying the context as `next({ ctx })` does.
 */
function callGate<Checked extends object>() {
  return t.middleware(async ({ ctx, meta, path, getRawInput, next }) => {
    try {
      await refuseUnstorable(getRawInput);
      await checkApiKey(ctx, meta, path, getRawInput);
    } catch (err) {
      throw err instanceof AppError ? toTRPCError(err) : err;
    }
    authorize(ctx, meta);
    const own = ctx.loneCall ? null : (ctx.services.orm.em.fork() as EntityManager);
    const deps = own ? depsFor(ctx.services, own, ctx.req, ctx.deps.permissionValues, ctx.apiKey) : ctx.deps;
    const res = await withRequestAuditScope({ actor: ctx.actor, deps }, () => (own ? next({ ctx: { deps } }) : next()));
    if (!res.ok && res.error.cause instanceof AppError) throw toTRPCError(res.error.cause);
    return res as unknown as Awaited<ReturnType<typeof next<Checked>>>;
  });
}

const deny = (code: 'UNAUTHENTICATED' | 'PENDING_APPROVAL' | 'PASSWORD_CHANGE_REQUIRED' | 'FORBIDDEN') =>
  toTRPCError(new AppError(code));

/** The context of a procedure that is not public, once `authorize` let the call through. */
type SignedIn = { actor: Actor; session: ValidSession | null; account: SessionAccount };

/**
 * Who may call, from the procedure's `meta.access`: anyone for public ones;
 * otherwise signed in, past the approval and password-change gates unless the
 * procedure opts out, and holding the scope when it names one.
 */
function authorize(ctx: Context, meta: Meta | undefined): void {
  if (meta?.access === 'public') return;
  const actor = ctx.actor;
  if (!actor || (!ctx.session && !ctx.apiKey) || !ctx.account) throw deny('UNAUTHENTICATED');
  if (actor.role === 'pending' && !meta?.allowPending) throw deny('PENDING_APPROVAL');
  if (actor.mustChangePassword && !meta?.allowMustChange) throw deny('PASSWORD_CHANGE_REQUIRED');
  if (typeof meta?.access === 'object' && !hasScope(actor, meta.access.scope)) throw deny('FORBIDDEN');
}

export const publicProcedure = t.procedure.use(callGate<object>()).meta({ access: 'public' });

const signedInBase = t.procedure.use(callGate<SignedIn>());

/** For procedures every signed-in user may call (their own data). */
export const signedInProcedure = (meta: Omit<Meta, 'access'> = {}) => signedInBase.meta({ access: 'signedIn', ...meta });

/** For procedures that need a named scope from the role table in core; `fieldScopes` declares what core checks per field. */
export const scopedProcedure = (scope: Scope, extra: Pick<Meta, 'fieldScopes' | 'noApiKey'> = {}) => signedInBase.meta({ access: { scope }, ...extra });

export { TRPCError };
