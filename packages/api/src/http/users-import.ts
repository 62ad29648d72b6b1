import type { IncomingMessage, ServerResponse } from 'node:http';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { AppError, hasScope, startImport } from '@roster/core';
import { createContext } from '../context.ts';
import { toTRPCError } from '../errors.ts';
import type { Services } from '../services.ts';
import { setApiSecurityHeaders } from './security-headers.ts';
import { requestInfo } from './trpc-handler.ts';

export const USERS_IMPORT_ENDPOINT = '/api/users/import';

export function isUsersImportRequest(req: Pick<IncomingMessage, 'method' | 'url'>): boolean {
  return req.method === 'POST' && (req.url ?? '').split('?')[0]!.replace(/\/+$/, '') === USERS_IMPORT_ENDPOINT;
}

/** Form encodings are what a cross-site page can POST without asking (no CORS preflight): a CSV comes as text/csv or octet-stream. */
const FORM_TYPES = /^(multipart\/form-data|application\/x-www-form-urlencoded|text\/plain)\b/i;

/**
 * `POST /api/users/import[?dryRun=1]`: the raw body is the CSV, streamed to
 * the data folder (never through tRPC's small body limit), then imported by
 * a job. Session cookie or Bearer; admins with `user:create`. 202 `{ jobId }`;
 * errors as the file endpoints answer them: `{ error: { appCode, message } }`.
 */
export function createUsersImportHandler(opts: { services: () => Promise<Services>; secure: (req: IncomingMessage) => boolean }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const secure = opts.secure(req);
    setApiSecurityHeaders(res, secure);
    try {
      const services = await opts.services();
      const ctx = await createContext(services, requestInfo(req, res, secure));
      if (!ctx.actor) throw new AppError('UNAUTHENTICATED');
      if (ctx.actor.role === 'pending' || ctx.actor.mustChangePassword || !hasScope(ctx.actor, 'user:create')) throw new AppError('FORBIDDEN');
      if (FORM_TYPES.test(req.headers['content-type'] ?? '')) throw new AppError('VALIDATION', 'Send the CSV as the raw body with Content-Type text/csv');
      const url = new URL(req.url!, 'http://roster.invalid');
      const dryRun = ['1', 'true'].includes(url.searchParams.get('dryRun') ?? '');
      const fileName = decodeName(req.headers['x-file-name']) ?? url.searchParams.get('name') ?? 'users.csv';
      const length = req.headers['content-length'];
      const { jobId } = await startImport(ctx.deps, ctx.actor, { fileName: fileName.slice(0, 255), dryRun, size: length === undefined ? null : Number(length), body: req });
      send(res, 202, { jobId, dryRun });
    } catch (err) {
      answerError(req, res, err);
    }
  };
}

function decodeName(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  try {
    return decodeURIComponent(header);
  } catch {
    return header;
  }
}

function answerError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (!(err instanceof AppError)) console.error('users import endpoint:', err);
  const app = err instanceof AppError ? err : null;
  const status = app ? getHTTPStatusCodeFromError(toTRPCError(app)) : 500;
  send(res, status, { error: app ? { appCode: app.code, message: app.message } : { message: 'Internal server error' } });
  // A refused upload is not read to its end: the connection goes once the answer is out.
  if (!req.complete) res.once('finish', () => req.destroy());
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
