import type { IncomingMessage, ServerResponse } from 'node:http';
import { getTRPCErrorFromUnknown, getTRPCErrorShape, type TRPCError } from '@trpc/server';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { RateLimitedError } from '@roster/core';
import { batchRefusal, MAX_BATCH_CALLS } from '../batch-limit.ts';
import { createContext, type RequestInfo } from '../context.ts';
import { toTRPCError } from '../errors.ts';
import { appRouter } from '../root.ts';
import type { Services } from '../services.ts';
import { clientAddress } from './client-address.ts';
import { readCookie, serializeCookie } from './cookies.ts';
import { setApiSecurityHeaders } from './security-headers.ts';

export const TRPC_ENDPOINT = '/api/trpc';

/** True for requests to the router (`/api/trpc/<path>`), which the web server hands to createTrpcHandler. */
export function isTrpcRequest(url: string | undefined): boolean {
  return !!url && url.startsWith(`${TRPC_ENDPOINT}/`);
}

export interface TrpcHandlerOptions {
  services: () => Promise<Services>;
  /** Whether people reach the instance over https (cookies `__Host-` and Secure, HSTS). */
  secure: (req: IncomingMessage) => boolean;
}

/**
 * The router over node:http for the CLI and other services, mounted by the
 * web server in front of SvelteKit: an API call needs none of a page's
 * machinery, and converting each request and response for SvelteKit cost
 * more than the session check itself (bench/peers). Pages call the router
 * in-process and never come here.
 */
export function createTrpcHandler(opts: TrpcHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  // Kept once resolved: awaiting the settled promise on every request cost a turn of the microtask queue.
  let ready: Services | undefined;
  return async (req, res) => {
    const secure = opts.secure(req);
    setApiSecurityHeaders(res, secure);
    const services = ready ?? (ready = await opts.services());
    const query = req.url!.indexOf('?');
    const path = decodePath(req.url!.slice(TRPC_ENDPOINT.length + 1, query < 0 ? undefined : query));
    const params = new URLSearchParams(query < 0 ? '' : req.url!.slice(query + 1));
    const batch = params.get('batch') === '1';
    if (refuseBatch(res, batch, path)) return;
    if (!batch && (await answerQuery(req, res, path, params.get('input'), services, secure))) return;
    await nodeHTTPRequestHandler({
      req,
      res,
      path,
      router: appRouter,
      maxBatchSize: MAX_BATCH_CALLS,
      createContext: () => createContext(services, requestInfo(req, res, secure), { loneCall: !batch }),
      responseMeta: ({ errors }) => ({ headers: retryAfter(errors) }),
      onError: ({ error, path }) => logUnexpected(error, path),
    });
  };
}

/** Procedure names are plain ASCII: a path that does not decode is left as it is (no procedure has that name: 404). */
function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** A refused guess tells the client when to come back (the longest wait of the batch). */
function retryAfter(errors: TRPCError[]): Record<string, string> {
  const wait = Math.max(0, ...errors.map((e) => (e.cause instanceof RateLimitedError ? e.cause.retryAfterSec : 0)));
  return wait ? { 'retry-after': String(wait) } : {};
}

function logUnexpected(error: TRPCError, path: string | undefined): void {
  if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'}:`, error.cause ?? error);
}

/**
 * One query over GET with JSON input (or none): what services and the CLI
 * call most (`auth.me`, a users page). Answered through the router's caller
 * and written in one piece, skipping the fetch Request, Response and body
 * stream tRPC's adapter builds around every call; the answer is the one
 * tRPC gives (same result and error shapes, status codes, Retry-After).
 * Anything else (batches, mutations, streaming, input that is not JSON, an
 * unknown path) goes through tRPC's adapter: false.
 */
async function answerQuery(req: IncomingMessage, res: ServerResponse, path: string, raw: string | null, services: Services, secure: boolean): Promise<boolean> {
  if (req.method !== 'GET' || req.headers['trpc-accept'] !== undefined) return false;
  // Flat at run time (path → procedure), as tRPC itself looks them up; typed as the nested router.
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } } | undefined>;
  const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
  if (procedure?._def.type !== 'query') return false;
  let input: unknown = undefined;
  if (raw !== null) {
    try {
      input = JSON.parse(raw);
    } catch {
      return false;
    }
  }
  let status = 200;
  let body: unknown;
  let headers: Record<string, string> = {};
  let ctx: Awaited<ReturnType<typeof createContext>> | undefined;
  try {
    ctx = await createContext(services, requestInfo(req, res, secure), { loneCall: true });
    // Called as tRPC's own caller calls it, without building the caller's proxies for each request.
    body = { result: { data: await (procedure as unknown as DirectCall)({ path, getRawInput: async () => input, ctx, type: 'query', signal: undefined, batchIndex: 0 }) } };
  } catch (cause) {
    const error = getTRPCErrorFromUnknown(cause);
    logUnexpected(error, path);
    status = getHTTPStatusCodeFromError(error);
    headers = retryAfter([error]);
    body = { error: getTRPCErrorShape({ config: appRouter._def._config, error, type: 'query', path, input, ctx }) };
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
  return true;
}

type DirectCall = (opts: { path: string; getRawInput: () => Promise<unknown>; ctx: unknown; type: 'query'; signal: undefined; batchIndex: number }) => Promise<unknown>;

/** The request as the router's context reads it: headers, address, scheme, and the cookies it may set on the response. */
export function requestInfo(req: IncomingMessage, res: ServerResponse, secure: boolean): RequestInfo {
  return {
    headers: { get: (name) => headerValue(req.headers[name.toLowerCase()]) },
    ip: clientAddress(req),
    secure,
    cookies: {
      get: (name) => readCookie(req.headers.cookie, name),
      set: (c) => res.appendHeader('set-cookie', serializeCookie(c)),
    },
  };
}

const headerValue = (v: string | string[] | undefined): string | null => (v === undefined ? null : Array.isArray(v) ? v.join(', ') : v);

/**
 * Too many calls, or more than one password call, in one request: every call
 * gets BATCH_TOO_LARGE and none runs (nor is the body read), so one POST can
 * never carry a pile of password guesses.
 */
function refuseBatch(res: ServerResponse, batch: boolean, path: string): boolean {
  const paths = batch ? path.split(',') : [path];
  const err = batchRefusal(paths);
  if (!err) return false;
  const error = toTRPCError(err);
  const shapes = paths.map((p) => ({
    error: getTRPCErrorShape({ config: appRouter._def._config, error, type: 'unknown', path: p, input: undefined, ctx: undefined }),
  }));
  const body = JSON.stringify(batch ? shapes : shapes[0]);
  res.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  return true;
}
