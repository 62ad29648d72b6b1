import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Outputs } from './api-types.ts';
import { USER_AGENT } from './client.ts';
import type { RunContext } from './cli/context.ts';
import { CliError, hintFor, toCliError } from './cli/errors.ts';
import { progress } from './cli/progress.ts';

/** Uploads and downloads go over plain HTTP beside the tRPC API (`POST /api/files`, `GET /api/files/:id`), streamed both ways. */

export type FileDto = Outputs['files']['get'];

const MIME: Record<string, string> = {
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.gif': 'image/gif', '.webp': 'image/webp',
  '.heic': 'image/heic', '.svg': 'image/svg+xml', '.mp4': 'video/mp4', '.mov': 'video/quicktime', '.mp3': 'audio/mpeg',
  '.pdf': 'application/pdf', '.zip': 'application/zip', '.json': 'application/json', 
  '.md': 'text/markdown', '.csv': 'text/csv', '.html': 'text/html', '.log': 'text/x-log',
};
/**
 * No form content type (text/plain, multipart/form-data, urlencoded): SvelteKit's CSRF check refuses
 * such a POST when its Origin is not the app's own, and a command line has no origin to send.
 */
const mimeOf = (file: string) => MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

export function endpoint(ctx: RunContext, pathname: string): { url: string; headers: Record<string, string> } {
  // Goes through the context so the NOT_CONFIGURED check and the error hints (which server, which account) apply here too.
  ctx.api();
  const base = ctx.conn.url!;
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  if (ctx.conn.token) headers.authorization = `Bearer ${ctx.conn.token}`;
  return { url: `${base}${pathname}`, headers };
}

const BY_STATUS: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE' };

/** The file endpoints answer errors as `{ error: { appCode, message, fieldErrors } }` with the router's status for the code. */
export async function failure(res: Response, ctx: RunContext): Promise<CliError> {
  const text = await res.text().catch(() => '');
  let body: { error?: { appCode?: string; message?: string; fieldErrors?: Record<string, string[]> } } | null = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not from Roster's handler (a proxy, or the framework itself): keep its words if they are short.
  }
  const code = body?.error?.appCode ?? BY_STATUS[res.status] ?? `HTTP_${res.status}`;
  const said = text && text.length < 200 && !text.includes('<') ? `: ${text.trim()}` : '';
  return new CliError(code, body?.error?.message ?? `the server answered HTTP ${res.status}${said}`, hintFor(code, ctx.scene), {
    fieldErrors: body?.error?.fieldErrors,
  });
}

/** Network failures read like the tRPC client's: UNREACHABLE with the cause. */
export function transport(err: unknown, ctx: RunContext): CliError {
  if (err instanceof CliError) return err;
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (err instanceof TypeError && cause) {
    return new CliError('UNREACHABLE', `cannot reach ${ctx.scene.url} (${cause.code ?? cause.message})`, hintFor('UNREACHABLE', ctx.scene));
  }
  return toCliError(err, ctx.scene);
}

/** Counts bytes as they pass, for the progress bar; never holds more than one chunk. */
const counter = (onBytes: (n: number) => void) =>
  new Transform({
    transform(chunk: Buffer, _enc, cb) {
      onBytes(chunk.length);
      cb(null, chunk);
    },
  });

/**
 * Streams one file from disk with node:http rather than fetch: Node 22's fetch
 * keeps every chunk of a streamed request body until the request ends (a 1 GB
 * upload held 1 GB of memory, even with forced GCs), while http.request plus
 * pipeline() stays flat. Content-Length lets the server reserve the bytes
 * against the quota, and refuse with 413, before it reads the body.
 */
export async function uploadFile(ctx: RunContext, file: string, size: number, asUserId?: string): Promise<FileDto> {
  const body = await postFile<{ file: FileDto }>(ctx, `/api/files${asUserId ? `?as=${encodeURIComponent(asUserId)}` : ''}`, file, size, 201, { 'content-type': mimeOf(file) });
  return body.file;
}

/** Streams a file as the raw body of a POST (progress bar on a TTY) and returns the JSON answer, which must have `status`. */
export async function postFile<T>(ctx: RunContext, pathname: string, file: string, size: number, status: number, extra: Record<string, string> = {}): Promise<T> {
  const { url, headers } = endpoint(ctx, pathname);
  const name = path.basename(file);
  const bar = progress(name, size);
  const source = fs.createReadStream(file);
  try {
    const res = await post(
      new URL(url),
      { ...headers, 'content-length': String(size), 'x-file-name': encodeURIComponent(name), ...extra },
      source.pipe(counter(bar.advance)),
    );
    if (res.status !== status) throw await failure(res, ctx);
    return (await res.json()) as T;
  } catch (err) {
    throw transport(err, ctx);
  } finally {
    source.destroy();
    bar.end();
  }
}

/**
 * POSTs a stream and resolves with the answer as a Response. The server may
 * answer before it has read the body (413 on a declared size over quota) and
 * close the connection: then the write error that follows is expected, and
 * the answer is what counts.
 */
function post(url: URL, headers: Record<string, string>, body: Readable): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(url, { method: 'POST', headers });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      body.unpipe(req);
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        // An early answer leaves the body half sent: that connection is of no further use.
        req.destroy();
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers: h }));
      });
      res.on('error', reject);
    });
    req.on('error', (err) => {
      if (!answered) reject(Object.assign(new TypeError('upload failed'), { cause: err }));
    });
    pipeline(body, req).catch(() => {
      // Reported through the request's own 'error' or 'response' above.
    });
  });
}

/** `filename*=UTF-8''…` (exact) or `filename="…"` from Content-Disposition, reduced to a safe base name. */
function nameFrom(res: Response, id: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)?.[1];
  let name = star ? decodeURIComponent(star) : (/filename="([^"]*)"/i.exec(cd)?.[1] ?? '');
  name = path.basename(name.replace(/\\/g, '/')).replace(/^\.+/, '');
  return name || id;
}

export interface Downloaded {
  id: string;
  name: string;
  path: string | null;
  size: number;
  sha1: string;
}

/**
 * Streams a file to `dest` (a path, a folder, or '-' for stdout) through a
 * temporary `.part` file that is renamed only once size and SHA-1 match.
 */
export async function downloadFile(ctx: RunContext, id: string, dest: string | undefined, force: boolean): Promise<Downloaded> {
  const { url, headers } = endpoint(ctx, `/api/files/${encodeURIComponent(id)}`);
  let res: Response;
  try {
    res = await fetch(url, { headers });
  } catch (err) {
    throw transport(err, ctx);
  }
  if (!res.ok || !res.body) throw await failure(res, ctx);
  const name = nameFrom(res, id);
  const size = Number(res.headers.get('content-length') ?? NaN);
  const expected = res.headers.get('x-file-sha1');
  let target = dest === '-' ? null : (dest ?? name);
  if (target && fs.existsSync(target) && fs.statSync(target).isDirectory()) target = path.join(target, name);
  if (target && !force && fs.existsSync(target)) {
    await res.body.cancel();
    throw new CliError('FILE_EXISTS', `${target} already exists`, 'pass --force to overwrite it, or -o PATH to save elsewhere');
  }
  const hash = createHash('sha1');
  let received = 0;
  const bar = progress(name, Number.isFinite(size) ? size : null);
  const tally = new Transform({
    transform(chunk: Buffer, _e, cb) {
      received += chunk.length;
      hash.update(chunk);
      bar.advance(chunk.length);
      cb(null, chunk);
    },
  });
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream);
  const outcome = () => check({ id, name, path: target, size: received, sha1: hash.digest('hex') }, size, expected);
  if (!target) {
    try {
      await pipeline(body, tally, process.stdout, { end: false });
      return outcome();
    } finally {
      bar.end();
    }
  }
  // Beside the target, so the rename cannot cross file systems.
  const part = `${target}.part-${process.pid}`;
  try {
    await pipeline(body, tally, fs.createWriteStream(part, { flags: 'wx' }));
    const result = outcome();
    fs.renameSync(part, target);
    return result;
  } catch (err) {
    fs.rmSync(part, { force: true });
    throw err instanceof CliError ? err : transport(err, ctx);
  } finally {
    bar.end();
  }
}

function check(d: Downloaded, size: number, sha1: string | null): Downloaded {
  if ((Number.isFinite(size) && d.size !== size) || (sha1 && d.sha1 !== sha1)) {
    throw new CliError('DOWNLOAD_CORRUPT', `received ${d.size} bytes that do not match the stored file`, 'try again; nothing was saved');
  }
  return d;
}
