import type { IncomingMessage, ServerResponse } from 'node:http';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { AppError, exportFileName, exportUsers, hasScope, idSchema, recordAuditNow, USER_ORDER_FIELDS, type ExportFilter } from '@roster/core';
import { ROLES, USER_STATUSES } from '@roster/db';
import { z } from 'zod';
import { createContext } from '../context.ts';
import { toTRPCError } from '../errors.ts';
import { setApiSecurityHeaders } from './security-headers.ts';
import { requestInfo, type TrpcHandlerOptions } from './trpc-handler.ts';

export const USERS_EXPORT_ENDPOINT = '/api/users/export';

export function isUsersExportRequest(url: string | undefined): boolean {
  return !!url && (url === USERS_EXPORT_ENDPOINT || url.startsWith(`${USERS_EXPORT_ENDPOINT}?`));
}

/** The users page's URL parameters (q, role, status, group, sort, dir); role, status and group may repeat. */
const exportQuery = z.object({
  q: z.string().trim().max(200).optional(),
  role: z.array(z.enum(ROLES)).max(4),
  status: z.array(z.enum(USER_STATUSES)).max(3),
  group: z.array(idSchema).max(50),
  sort: z.enum(USER_ORDER_FIELDS).optional(),
  dir: z.enum(['asc', 'desc']).optional(),
});

function parseFilter(params: URLSearchParams): ExportFilter {
  const q = exportQuery.parse({
    q: params.get('q') ?? undefined,
    role: params.getAll('role').filter(Boolean),
    status: params.getAll('status').filter(Boolean),
    group: params.getAll('group').filter(Boolean),
    sort: params.get('sort') || undefined,
    dir: params.get('dir') || undefined,
  });
  return { query: q.q || undefined, roles: q.role, statuses: q.status, groupIds: q.group, orderBy: q.sort, direction: q.dir };
}

/**
 * `GET /api/users/export?…`: every user the users list shows for the same
 * filters, as a CSV download streamed from a database cursor (core's
 * exportUsers) with the socket's backpressure, so memory stays flat at a
 * million users. Session cookie or Bearer token; needs `user:list`.
 */
export function createUsersExportHandler(opts: TrpcHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const secure = opts.secure(req);
    setApiSecurityHeaders(res, secure);
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new AppError('NOT_FOUND');
      const services = await opts.services();
      const ctx = await createContext(services, requestInfo(req, res, secure));
      if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
      if (ctx.actor.role === 'pending' || ctx.actor.mustChangePassword || !hasScope(ctx.actor, 'user:list')) throw new AppError('FORBIDDEN');
      const filter = parseFilter(new URL(req.url!, 'http://x').searchParams);
      // Who took a copy of the user base, and of which part.
      await recordAuditNow(ctx.deps.em, { actorId: ctx.actor.id, action: 'user.export', details: { filter } });
      res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${exportFileName(services.clock.now())}"`,
        'cache-control': 'no-store',
      });
      if (req.method === 'HEAD') return void res.end();
      await exportUsers(ctx.deps, filter, async (chunk) => {
        if (res.destroyed) throw new Error('client went away');
        if (!res.write(chunk)) await drained(res);
      });
      res.end();
    } catch (err) {
      answerError(res, err);
    }
  };
}

/** Until the socket takes more (or the client left); both listeners go either way. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function answerError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    // Mid-stream: cutting the connection tells the client the file is incomplete.
    if (!(err instanceof Error && err.message === 'client went away')) console.error('users export:', err);
    res.destroy();
    return;
  }
  let status = 500;
  let body: object = { error: { message: 'Internal server error' } };
  if (err instanceof z.ZodError) {
    const fieldErrors: Record<string, string[]> = {};
    for (const i of err.issues) (fieldErrors[i.path.join('.') || '_'] ??= []).push(i.message);
    status = 400;
    body = { error: { appCode: 'VALIDATION', message: 'Invalid filters', fieldErrors } };
  } else if (err instanceof AppError) {
    status = getHTTPStatusCodeFromError(toTRPCError(err));
    body = { error: { appCode: err.code, message: err.message } };
  } else console.error('users export:', err);
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
