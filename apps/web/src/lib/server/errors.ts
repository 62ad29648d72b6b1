import { error } from '@sveltejs/kit';
import { TRPCError, getTRPCErrorShape } from '@trpc/server';
import { appRouter } from '@roster/api';
import type { RequestEvent } from '@sveltejs/kit';

/** What a form shows after a failed call: the same message, code and field errors the CLI gets. */
export interface CallFailure {
  message: string;
  appCode?: string;
  fieldErrors?: Record<string, string[]>;
}

/**
 * Runs a server-side caller's error through the router's own error
 * formatter, so the web and HTTP clients never disagree on wording.
 * Anything that is not a tRPC error is a bug: rethrow it for handleError.
 */
export function callFailure(err: unknown, event: Pick<RequestEvent, 'locals'>, path: string): CallFailure {
  if (!(err instanceof TRPCError)) throw err;
  if (err.code === 'INTERNAL_SERVER_ERROR') throw err;
  const shape = getTRPCErrorShape({
    config: appRouter._def._config,
    error: err,
    type: 'unknown',
    path,
    input: undefined,
    ctx: event.locals.ctx,
  });
  const data = shape.data as { appCode?: string; fieldErrors?: Record<string, string[]> };
  return { message: shape.message, appCode: data.appCode, fieldErrors: data.fieldErrors };
}

/** HTTP status for a tRPC error code, for load functions that turn failures into error pages. */
const STATUS: Partial<Record<TRPCError['code'], number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

/** In a load function: show the error page with the router's message (500s stay opaque). */
export function failLoad(err: unknown, event: Pick<RequestEvent, 'locals'>, path: string): never {
  const status = err instanceof TRPCError ? STATUS[err.code] : undefined;
  if (!status) throw err;
  const f = callFailure(err, event, path);
  error(status, f.message, { appCode: f.appCode });
}
