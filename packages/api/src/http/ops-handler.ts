import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../services.ts';
import { liveness, readiness, sendJson } from './health.ts';
import { createMetrics, metricsAccess, type Metrics } from './metrics.ts';
import { PROMETHEUS_CONTENT_TYPE } from './exposition.ts';
import { buildOpenApiDocument } from './openapi.ts';

const OPS_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/api/openapi.json']);

/** True for the operations endpoints the web server answers in front of SvelteKit (query strings ignored). */
export function isOpsRequest(url: string | undefined): boolean {
  if (!url) return false;
  const q = url.indexOf('?');
  return OPS_PATHS.has(q < 0 ? url : url.slice(0, q));
}

export interface OpsHandler {
  metrics: Metrics;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/**
 * /healthz, /readyz, /metrics and /api/openapi.json as plain HTTP: a
 * probe or a scraper needs none of SvelteKit's machinery, and must answer
 * while the pages cannot (readiness failing is the point).
 */
export function createOpsHandler(opts: { services: () => Promise<Services>; metricsToken?: string }): OpsHandler {
  const metrics = createMetrics(opts.services);
  let openapi: string | undefined;
  return {
    metrics,
    async handle(req, res) {
      res.setHeader('x-content-type-options', 'nosniff');
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        return sendJson(res, 405, { error: 'method not allowed' });
      }
      const q = req.url!.indexOf('?');
      const path = q < 0 ? req.url! : req.url!.slice(0, q);
      if (path === '/healthz') return liveness(req, res);
      if (path === '/readyz') {
        const { status, body } = await readiness(opts.services);
        return sendJson(res, status, body);
      }
      if (path === '/metrics') {
        const access = metricsAccess(req, opts.metricsToken);
        if (access === 'unauthorized') res.setHeader('www-authenticate', 'Bearer realm="metrics"');
        if (access !== 'ok') return sendJson(res, access === 'unauthorized' ? 401 : 403, { error: access === 'unauthorized' ? 'a metrics token is required' : 'metrics are served to loopback only (set ROSTER_METRICS_TOKEN)' });
        const text = await metrics.render();
        res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
        return void res.end(text);
      }
      openapi ??= JSON.stringify(buildOpenApiDocument({ version: '1' }), null, 2);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(openapi) });
      res.end(openapi);
    },
  };
}
