/**
 * Runs the built app (adapter-node). adapter-node 6 has no ORIGIN setting and
 * takes the scheme from PROTOCOL_HEADER, assuming https without it — which
 * would fail SvelteKit's CSRF check for forms posted over plain http and mark
 * cookies Secure. Unless an operator set PROTOCOL_HEADER for their reverse
 * proxy, we tell it the real scheme of each connection, in a header the
 * client cannot forge (it is overwritten on every request). With
 * ROSTER_PUBLIC_URL set, its scheme is the scheme of every request: a TLS
 * proxy in front talks plain http to us, but people (and their browsers'
 * Origin headers) are on https.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';

const SCHEME_HEADER = 'x-roster-connection-scheme';
const ownScheme = !process.env.PROTOCOL_HEADER;
const publicScheme = process.env.ROSTER_PUBLIC_URL ? new URL(process.env.ROSTER_PUBLIC_URL).protocol.replace(':', '') : null;
if (ownScheme) process.env.PROTOCOL_HEADER = SCHEME_HEADER;

const entry = './build/index.js';
const { server } = (await import(entry)) as { server: Server };

// The router's HTTP endpoint is served in front of SvelteKit (@roster/api's trpc-handler.ts says why); pages go on to SvelteKit.
const { closeInstanceServices, createTrpcHandler, createUsersExportHandler, createUsersImportHandler, instanceServices, isTrpcRequest, isUsersExportRequest, isUsersImportRequest, reachedOverHttps } =
  await import('@roster/api');
const { createFilesHandler, isFilesRequest } = await import('@roster/api');
// /healthz, /readyz, /metrics and /api/openapi.json are answered in front of SvelteKit too (@roster/api's ops-handler.ts).
const { createOpsHandler, isOpsRequest, observeRequests } = await import('@roster/api');
const ops = createOpsHandler({ services: instanceServices, metricsToken: process.env.ROSTER_METRICS_TOKEN || undefined });
// adapter-node emits this once the HTTP server has closed (SIGTERM, SIGINT): then the pools and Redis connections go.
process.once('sveltekit:shutdown' as never, closeInstanceServices);
const schemeHeader = process.env.PROTOCOL_HEADER!.toLowerCase();
const handlerOpts = { services: instanceServices, secure: (req: IncomingMessage) => reachedOverHttps(req.headers[schemeHeader] === 'https') };
const api = createTrpcHandler(handlerOpts);
// CSV imports stream to disk, and the CSV export from a database cursor, in front of SvelteKit too (packages/api/src/http/users-*.ts).
const usersImport = createUsersImportHandler(handlerOpts);
const usersExport = createUsersExportHandler(handlerOpts);
// A user's files stream both ways, in front of SvelteKit too (packages/api/src/http/files.ts).
const files = createFilesHandler(handlerOpts);
type Listener = (req: IncomingMessage, res: ServerResponse) => void;
const kit = server.listeners('request') as Listener[];
server.removeAllListeners('request');
server.on('request', (req: IncomingMessage, res: ServerResponse) => {
  if (ownScheme) req.headers[SCHEME_HEADER] = publicScheme ?? ((req.socket as TLSSocket).encrypted ? 'https' : 'http');
  if (isOpsRequest(req.url)) return void ops.handle(req, res).catch((err: unknown) => { console.error('operations endpoint:', err); res.destroy(); });
  const handler = isUsersImportRequest(req) ? usersImport : isUsersExportRequest(req.url) ? usersExport : isFilesRequest(req.url) ? files : isTrpcRequest(req.url) ? api : null;
  if (!handler) return kit.forEach((l) => l.call(server, req, res));
  handler(req, res).catch((err: unknown) => {
    console.error('API handler:', err);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
    res.end();
  });
});

// Bodies of tRPC calls and form actions are bounded in front of SvelteKit (uploads are not): see body-limit.ts.
const { loadEnv } = await import('@roster/config');
const { limitRequestBodies } = await import('./body-limit.ts');
limitRequestBodies(server, loadEnv().ROSTER_BODY_LIMIT);

// Every request gets an id (x-request-id), one log line and its metrics, around whatever answers it (outermost, so a refused body is logged too).
const front = server.listeners('request') as Listener[];
server.removeAllListeners('request');
front.forEach((l) => server.on('request', observeRequests(ops.metrics)(l)));
