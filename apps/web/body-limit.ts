/**
 * A small body limit for every route but the streaming upload, enforced in
 * front of SvelteKit. adapter-node's BODY_SIZE_LIMIT is one limit for all
 * routes and uploads need it unbounded (they stop at the owner's quota
 * themselves), so tRPC calls and form actions are bounded here instead:
 * - a declared Content-Length over the limit is answered 413 at once, before
 *   a byte of the body is read (and before `100 Continue` when asked);
 * - a chunked body is held (at most `limit` bytes) until it ends, then
 *   handed on whole; past the limit it is answered 413 and the connection
 *   closed (after a short lingering read, so the client sees the answer).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** The routes whose body may be large: file uploads, and CSV imports (capped by their own handler). */
export function isUpload(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const path = (req.url ?? '').split('?')[0]!.replace(/\/+$/, '');
  return path === '/api/files' || path === '/api/users/import';
}

const human = (bytes: number) => (bytes % 1024 ** 2 === 0 ? `${bytes / 1024 ** 2} MiB` : `${Math.round(bytes / 1024)} KiB`);

/** How long, and how many bytes, a refused body is still read and thrown away so the client sees the 413 instead of a reset. */
const LINGER_MS = 2_000;
const LINGER_BYTES = 16 * 1024 ** 2;

function refuse(req: IncomingMessage, res: ServerResponse, limit: number): void {
  if (res.headersSent) return;
  const message = `Request body too large (limit ${human(limit)}; uploads go to POST /api/files)`;
  const path = (req.url ?? '').split('?')[0]!;
  // tRPC clients read the error shape; everything else gets a JSON message.
  const body = path.startsWith('/api/trpc')
    ? { error: { message, code: -32013, data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 } } }
    : { message };
  const text = JSON.stringify(body);
  res.writeHead(413, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), connection: 'close' });
  res.write(text);
  linger(req, res);
}

/**
 * Closing at once while the client is still sending makes its kernel see a
 * reset, often before it reads the 413 (as nginx's lingering close avoids):
 * the answer is written but ended, and the socket closed, only once the
 * client stops sending, or after LINGER_MS / LINGER_BYTES of discarded body.
 */
function linger(req: IncomingMessage, res: ServerResponse): void {
  let discarded = 0;
  const done = () => {
    clearTimeout(timer);
    if (!res.writableEnded) res.end();
  };
  const timer = setTimeout(done, LINGER_MS);
  req.on('data', (c: Buffer) => {
    discarded += c.length;
    if (discarded > LINGER_BYTES) done();
  });
  req.once('end', done);
  req.once('close', () => clearTimeout(timer));
  req.resume();
}

const declaredLength = (req: IncomingMessage): number | null => {
  const v = req.headers['content-length'];
  return v === undefined ? null : Number(v);
};

/** True when the request must be refused on its headers alone. */
const declaredTooLarge = (req: IncomingMessage, limit: number) => !isUpload(req) && (declaredLength(req) ?? 0) > limit;

/**
 * Wraps the server's `request` listeners (adapter-node's handler and any
 * registered before this call) behind the limit.
 */
export function limitRequestBodies(server: Server, limit: number): void {
  const listeners = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  const pass: Listener = (req, res) => {
    for (const l of listeners) l.call(server, req, res);
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isUpload(req)) return pass(req, res);
    if (declaredTooLarge(req, limit)) return refuse(req, res, limit);
    // Node's parser never delivers more than a declared Content-Length, and no header at all means no body.
    if (declaredLength(req) !== null || req.headers['transfer-encoding'] === undefined) return pass(req, res);
    holdChunked(req, res, limit, pass);
  });

  // Without this Node answers `100 Continue` itself and the client starts sending a body we will refuse.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (declaredTooLarge(req, limit)) return refuse(req, res, limit);
    res.writeContinue();
    server.emit('request', req, res);
  });
}

/**
 * Node's HTTP parser hands body bytes to `req.push`; holding them there (no
 * flowing mode, no second reader) lets the whole body be counted before
 * SvelteKit sees the request, then replayed into the stream unchanged.
 */
function holdChunked(req: IncomingMessage, res: ServerResponse, limit: number, pass: Listener): void {
  const push = req.push.bind(req);
  const held: Buffer[] = [];
  let size = 0;
  req.push = (chunk: Buffer | null, encoding?: BufferEncoding): boolean => {
    if (chunk === null) {
      req.push = push;
      for (const c of held) push(c, encoding);
      push(null);
      pass(req, res);
      return false;
    }
    size += chunk.length;
    if (size > limit) {
      // From here on the rest streams into refuse()'s discard, bounded by its linger.
      req.push = push;
      held.length = 0;
      refuse(req, res, limit);
      return true;
    }
    held.push(chunk);
    return true;
  };
}
