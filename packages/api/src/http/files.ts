import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, fileOwnerFor, idSchema, openFileDownload, RateLimitedError, uploadFile } from '@roster/core';
import { z } from 'zod';
import { createContext, withRequestAuditScope, type Context } from '../context.ts';
import { answerFileError, sendJson } from './file-errors.ts';
import { setApiSecurityHeaders } from './security-headers.ts';
import { requestInfo, type TrpcHandlerOptions } from './trpc-handler.ts';

export const FILES_ENDPOINT = '/api/files';
const pathOf = (url: string | undefined) => (url ?? '').split('?')[0]!;

/** `/api/files` (upload) and `/api/files/<id>` (download): what createFilesHandler answers. */
export function isFilesRequest(url: string | undefined): boolean {
  const path = pathOf(url).replace(/\/+$/, '');
  return path === FILES_ENDPOINT || /^\/api\/files\/[^/]+$/.test(path);
}

const uploadRequest = z.object({
  /** `x-file-name` (percent-encoded UTF-8, as headers are Latin-1) or `?name=`. */
  name: z.string().min(1, 'Give the file name in x-file-name or ?name=').max(1024),
  as: idSchema.optional(),
  size: z.coerce.number().int().min(0).optional(),
});

/** Form encodings are what a cross-site page can POST without asking (no CORS preflight): such an upload must come from this origin. */
const FORM_TYPES = /^(multipart\/form-data|application\/x-www-form-urlencoded|text\/plain)\b/i;

/**
 * A user's files over plain HTTP, in front of SvelteKit (a file is streamed
 * both ways, never held in memory, and uploads are not under the body limit):
 * - `POST /api/files`: the raw body is the file. Session cookie or Bearer
 *   (a key needs the `me` scope); `?as=<userId>` uploads for another user
 *   (admins). 201 `{ file }`; 413 `QUOTA_EXCEEDED` leaves no file and no row.
 * - `GET /api/files/<id>`: streams a file to its owner or an admin. Always an
 *   attachment, never sniffed, sandboxed: an upload never runs as a page here.
 * Errors as `{ error: { appCode, message, fieldErrors? } }` (file-errors.ts).
 */
export function createFilesHandler(opts: TrpcHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const secure = opts.secure(req);
    setApiSecurityHeaders(res, secure);
    const path = pathOf(req.url).replace(/\/+$/, '');
    const upload = path === FILES_ENDPOINT;
    const allowed = upload ? ['POST'] : ['GET', 'HEAD'];
    if (!allowed.includes(req.method ?? '')) {
      res.setHeader('allow', allowed.join(', '));
      return sendJson(res, 405, { error: { message: `${req.method} method not allowed` } });
    }
    try {
      if (upload && FORM_TYPES.test(req.headers['content-type'] ?? '') && !sameOrigin(req)) throw new AppError('FORBIDDEN', 'Cross-site POST form submissions are forbidden');
      const ctx = await createContext(await opts.services(), requestInfo(req, res, secure));
      gateKey(ctx);
      // Uploads audit with the client's address and user agent, as the router's mutations do.
      await withRequestAuditScope(ctx, () => (upload ? receive(ctx, req, res) : send(ctx, req, res, path.slice(FILES_ENDPOINT.length + 1))));
    } catch (err) {
      answerFileError(res, err);
    }
    // An upload refused before its end: the rest is read and dropped, so the client sees the answer (Node's own behaviour).
    if (!req.complete) res.once('finish', () => req.resume());
  };
}

/** As the router's key gate (api-key-gate.ts): a dead key is 401, files need the `me` scope, and a key past its rate gets 429. */
function gateKey(ctx: Context): void {
  if (ctx.apiKeyInvalid) throw new AppError('UNAUTHENTICATED', 'This API key is unknown, revoked or expired');
  if (!ctx.apiKey) return;
  if (!ctx.apiKey.scopes.includes('me')) throw new AppError('API_KEY_FORBIDDEN', 'This API key lacks the scope me');
  if (ctx.apiKey.retryAfterMs > 0) throw new RateLimitedError(ctx.apiKey.retryAfterMs);
}

/** SvelteKit's CSRF rule for form encodings, which this endpoint used to get from it: the Origin must be this host. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function decodeName(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  try {
    return decodeURIComponent(header);
  } catch {
    throw new AppError('VALIDATION', 'x-file-name must be percent-encoded UTF-8');
  }
}

async function receive(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Refused on the headers alone (no session, pending, …) before a byte of the body is read.
  fileOwnerFor(ctx.actor);
  const url = new URL(req.url!, 'http://roster.invalid');
  const input = uploadRequest.parse({
    name: decodeName(req.headers['x-file-name']) ?? url.searchParams.get('name') ?? '',
    as: url.searchParams.get('as') ?? undefined,
    size: req.headers['content-length'] ?? undefined,
  });
  const file = await uploadFile(ctx.deps, ctx.actor, {
    ownerId: input.as,
    name: input.name,
    mimeType: req.headers['content-type'] ?? null,
    size: input.size ?? null,
    body: req,
  });
  sendJson(res, 201, { file });
}

/** RFC 6266: an ASCII fallback plus the exact UTF-8 name. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

async function send(ctx: Context, req: IncomingMessage, res: ServerResponse, rawId: string): Promise<void> {
  let decoded = rawId;
  try {
    decoded = decodeURIComponent(rawId);
  } catch {} // Not an id either way: idSchema says so.
  const id = idSchema.parse(decoded);
  const { file, stream } = await openFileDownload(ctx.deps, ctx.actor, id);
  res.writeHead(200, {
    'content-type': file.mimeType,
    'content-length': String(file.size),
    'content-disposition': contentDisposition(file.name),
    'content-security-policy': "default-src 'none'; sandbox; frame-ancestors 'none'",
    'cache-control': 'private, no-store',
    etag: `"${file.sha1}"`,
    'x-file-id': file.id,
    'x-file-sha1': file.sha1,
  });
  if (req.method === 'HEAD') {
    stream.destroy();
    return void res.end();
  }
  await new Promise<void>((resolve) => {
    // pipe() follows the socket's backpressure; a client that leaves closes the file.
    stream.pipe(res);
    stream.once('error', (err) => {
      console.error('file download:', err);
      res.destroy();
      resolve();
    });
    res.once('close', () => {
      stream.destroy();
      resolve();
    });
  });
}
