import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopbackHost, purgeLatenessSeconds } from '@roster/core';
import type { EntityManager } from '@roster/db';
import type { Services } from '../services.ts';
import { clientAddress } from './client-address.ts';
import { header, HistogramSeries, samples, type Labels } from './exposition.ts';

/** Request latency buckets, seconds (a session check is about a millisecond; a search page tens). */
const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/**
 * Prometheus metrics of one web process. Per request one small object per
 * procedure is looked up and two numbers move; queue and purge figures are
 * read when scraped (Redis counters and one indexed query), never per request.
 */
export interface Metrics {
  observe(procedure: string, status: number, seconds: number): void;
  /** The exposition text; a source that fails (Redis away) is left out rather than failing the scrape. */
  render(): Promise<string>;
}

type Series = { statuses: Map<number, number>; latency: HistogramSeries };

export function createMetrics(services: () => Promise<Services>): Metrics {
  const byProcedure = new Map<string, Series>();
  const started = Date.now();

  async function scraped(): Promise<string[]> {
    const s = await services();
    const [depth, failures, late] = await Promise.allSettled([s.queue.depth(), s.queue.failures(), purgeLatenessSeconds(s.orm.em.fork() as EntityManager)]);
    const out: string[] = [];
    if (depth.status === 'fulfilled')
      out.push(samples('roster_queue_jobs', 'gauge', 'BullMQ jobs in the roster queue by state', Object.entries(depth.value).map(([state, n]) => [{ state }, n])));
    if (failures.status === 'fulfilled')
      out.push(samples('roster_job_failures_total', 'counter', 'Failed job attempts by job name (each retry counts)', Object.entries(failures.value).map(([job, n]) => [{ job }, n])));
    if (late.status === 'fulfilled') out.push(samples('roster_purge_lateness_seconds', 'gauge', 'How late the oldest due purge is (0 when none is due)', [[{}, late.value]]));
    return out;
  }

  return {
    observe(procedure, status, seconds) {
      let series = byProcedure.get(procedure);
      if (!series) byProcedure.set(procedure, (series = { statuses: new Map(), latency: new HistogramSeries(LATENCY_BUCKETS) }));
      series.statuses.set(status, (series.statuses.get(status) ?? 0) + 1);
      series.latency.observe(seconds);
    },
    async render() {
      const requests: Array<[Labels, number]> = [];
      let latency = header('roster_http_request_duration_seconds', 'histogram', 'HTTP request duration by procedure (or route kind), until the response ends');
      for (const [procedure, series] of byProcedure) {
        for (const [status, n] of series.statuses) requests.push([{ procedure, status: String(status) }, n]);
        latency += series.latency.lines('roster_http_request_duration_seconds', { procedure });
      }
      const mem = process.memoryUsage();
      const cpu = process.cpuUsage();
      const parts = [
        samples('roster_http_requests_total', 'counter', 'HTTP requests by procedure (or route kind) and status', requests),
        latency,
        ...(await scraped().catch(() => [])),
        samples('process_resident_memory_bytes', 'gauge', 'Resident memory of the web process', [[{}, mem.rss]]),
        samples('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use', [[{}, mem.heapUsed]]),
        samples('process_cpu_seconds_total', 'counter', 'CPU time of the web process (user + system)', [[{}, (cpu.user + cpu.system) / 1e6]]),
        samples('process_start_time_seconds', 'gauge', 'When the web process started (Unix time)', [[{}, Math.floor(started / 1000)]]),
      ];
      return parts.join('');
    },
  };
}

/**
 * Whether this request may read /metrics: from loopback (the client address
 * as the pages see it, so a proxy declared with ADDRESS_HEADER does not make
 * everyone loopback), or with `Authorization: Bearer <ROSTER_METRICS_TOKEN>`.
 * 'unauthorized' asks for the token; 'forbidden' when none is configured.
 */
export function metricsAccess(req: IncomingMessage, token: string | undefined, address: (req: IncomingMessage) => string | null = clientAddress): 'ok' | 'unauthorized' | 'forbidden' {
  const from = address(req);
  if (from && isLoopbackHost(from)) return 'ok';
  if (!token) return 'forbidden';
  const given = Buffer.from(req.headers.authorization ?? '');
  const want = Buffer.from(`Bearer ${token}`);
  return given.length === want.length && timingSafeEqual(given, want) ? 'ok' : 'unauthorized';
}
