import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '@roster/api';
import type { RequestHandler } from './$types';

/** The router over HTTP for the browser, the CLI and other services. */
const handler: RequestHandler = (event) =>
  fetchRequestHandler({
    endpoint: '/api/trpc',
    req: event.request,
    router: appRouter,
    createContext: () => event.locals.ctx,
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'}:`, error.cause ?? error);
    },
  });

export const GET = handler;
export const POST = handler;
