import { json } from '@sveltejs/kit';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { getTRPCErrorShape } from '@trpc/server';
import { appRouter, batchRefusal, MAX_BATCH_CALLS, toTRPCError } from '@roster/api';
import { RateLimitedError } from '@roster/core';
import type { RequestEvent, RequestHandler } from './$types';

/** The router over HTTP for the browser, the CLI and other services. */
const handler: RequestHandler = (event) => {
  const refused = refuseBatch(event);
  if (refused) return refused;
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: event.request,
    router: appRouter,
    createContext: () => event.locals.ctx,
    maxBatchSize: MAX_BATCH_CALLS,
    responseMeta({ errors }) {
      // A refused guess tells the client when to come back (the longest wait of the batch).
      const wait = Math.max(0, ...errors.map((e) => (e.cause instanceof RateLimitedError ? e.cause.retryAfterSec : 0)));
      return wait ? { headers: { 'retry-after': String(wait) } } : {};
    },
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'}:`, error.cause ?? error);
    },
  });
};

/**
 * Too many calls, or more than one password call, in one request: every call
 * gets BATCH_TOO_LARGE and none runs (nor is the body read), so one POST can
 * never carry a pile of password guesses.
 */
function refuseBatch(event: RequestEvent): Response | null {
  const batch = event.url.searchParams.get('batch') === '1';
  const paths = batch ? event.params.trpc.split(',') : [event.params.trpc];
  const err = batchRefusal(paths);
  if (!err) return null;
  const error = toTRPCError(err);
  const shapes = paths.map((path) => ({
    error: getTRPCErrorShape({ config: appRouter._def._config, error, type: 'unknown', path, input: undefined, ctx: event.locals.ctx }),
  }));
  return json(batch ? shapes : shapes[0], { status: 400 });
}

export const GET = handler;
export const POST = handler;
