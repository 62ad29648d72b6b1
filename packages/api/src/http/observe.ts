import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLogger, type Logger } from '@roster/config';
import { withRequestId } from '@roster/jobs';
import { appRouter } from '../root.ts';
import type { Metrics } from './metrics.ts';
import { TRPC_ENDPOINT } from './trpc-handler.ts';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

export const REQUEST_ID_HEADER = 'x-request-id';
/** A caller's id is kept when it looks like one (a proxy's or a client's trace id); anything else is replaced. */
const GOOD_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const OPS_ROUTES = new Set(['/healthz', '/readyz', '/metrics', '/api/openapi.json']);
/** Pages whose path holds a one-time token (reset and invitation links): logged without it. */
const TOKEN_PATH = /^\/(reset|invite)\/[^/]+/;

/** The path as logged: no query (setup links carry their token there), no token segment. */
export function loggedPath(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return TOKEN_PATH.test(path) ? path.replace(TOKEN_PATH, '/$1/[redacted]') : path;
}

/**
 * What a request is, for metrics and logs, from a bounded set: a procedure's
 * name (`unknown` for any other /api/trpc path, `batch` for several),
 * an operations route, `files`, `asset` (SvelteKit's built files) or `page`.
 * Never the raw path, which the client chooses.
 */
export function procedureLabel(url: string | undefined): string {
  if (!url) return 'page';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path.startsWith(`${TRPC_ENDPOINT}/`)) {
    const name = path.slice(TRPC_ENDPOINT.length + 1);
    if (name.includes(',') || name.includes('%2C')) return 'batch';
    return Object.hasOwn(appRouter._def.procedures, name) ? name : 'unknown';
  }
  if (OPS_ROUTES.has(path)) return path;
  if (path.startsWith('/_app/')) return 'asset';
  if (path === '/api/files' || path.startsWith('/api/files/')) return 'files';
  return 'page';
}

/**
 * Wraps the web server's request listener: gives each request an id (from
 * x-request-id or new), echoes it in the response, runs the request inside
 * it (jobs it enqueues carry it: @roster/jobs request-id.ts), and when the
 * response ends writes one log line (method, path without query, procedure,
 * status, duration, id) and counts it in the metrics (loggedPath: no
 * query, no link token).
 */
export function observeRequests(metrics: Metrics, logger: Logger = createLogger('web')): (listener: Listener) => Listener {
  return (listener) => (req, res) => {
    const started = performance.now();
    const given = req.headers[REQUEST_ID_HEADER];
    const id = typeof given === 'string' && GOOD_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, id);
    const procedure = procedureLabel(req.url);
    res.once('close', () => {
      const seconds = (performance.now() - started) / 1000;
      const status = res.writableFinished ? res.statusCode : 499;
      metrics.observe(procedure, status, seconds);
      // Probes, scrapes and built assets would drown the requests people make: those are debug lines.
      const level = procedure === 'asset' || OPS_ROUTES.has(procedure) ? 'debug' : 'info';
      if (logger.isLevelEnabled(level)) {
        logger[level]({ reqId: id, method: req.method, path: loggedPath(req.url ?? ''), procedure, status, durationMs: Math.round(seconds * 1e4) / 10 }, 'request');
      }
    });
    withRequestId(id, () => listener(req, res));
  };
}
