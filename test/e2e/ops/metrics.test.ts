import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/server.ts';

const TOKEN = 'scrape-token-0123456789abcdef';
let app: RunningApp;
beforeAll(async () => {
  // ADDRESS_HEADER lets the test claim a client address other than loopback without leaving loopback.
  app = await startApp({ env: { ROSTER_METRICS_TOKEN: TOKEN, ADDRESS_HEADER: 'x-real-ip' } });
});
afterAll(() => app?.stop());

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/;

/** Parses Prometheus text format 0.0.4: every line a HELP/TYPE comment or a sample of a declared family; the samples by series. */
function parseExposition(text: string): { types: Map<string, string>; samples: Map<string, number> } {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      expect(types.has(type[1]!), `${type[1]} declared twice`).toBe(false);
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const m = SAMPLE.exec(line);
    expect(m, `not a sample line: ${line}`).not.toBeNull();
    const family = m![1]!.replace(/_(bucket|sum|count)$/, (s) => (types.get(m![1]!.slice(0, -s.length)) === 'histogram' ? '' : s));
    expect(types.has(family), `${m![1]} has no # TYPE`).toBe(true);
    samples.set(line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return { types, samples };
}

describe('/metrics', () => {
  it('is Prometheus text that counts the requests made, by procedure and status', async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${app.baseUrl}/api/trpc/setup.status`)).status).toBe(200);
    expect((await fetch(`${app.baseUrl}/api/trpc/auth.me`)).status).toBe(401);
    // With ADDRESS_HEADER declared, the address is the header's: a request without it is not loopback.
    expect((await fetch(`${app.baseUrl}/metrics`)).status).toBe(401);
    const res = await fetch(`${app.baseUrl}/metrics`, { headers: { 'x-real-ip': '127.0.0.1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^# HELP /);
    expect(text).toMatch(/^# TYPE /m);
    const { types, samples } = parseExposition(text);
    expect(types.get('roster_http_requests_total')).toBe('counter');
    expect(types.get('roster_http_request_duration_seconds')).toBe('histogram');
    // startApp polls setup.status until the app answers: at least the three made here.
    expect(samples.get('roster_http_requests_total{procedure="setup.status",status="200"}')).toBeGreaterThanOrEqual(3);
    expect(samples.get('roster_http_requests_total{procedure="auth.me",status="401"}')).toBe(1);
    expect(samples.get('roster_http_request_duration_seconds_count{procedure="auth.me"}')).toBe(1);
    expect(samples.get('roster_http_request_duration_seconds_bucket{procedure="auth.me",le="+Inf"}')).toBe(1);
    expect(samples.get('roster_queue_jobs{state="failed"}')).toBeGreaterThanOrEqual(0);
    expect(types.get('roster_job_failures_total')).toBe('counter');
    expect(samples.get('roster_purge_lateness_seconds')).toBe(0);
  });

  it('needs the token from beyond loopback: 401 without or with a wrong one, 200 with it', async () => {
    const remote = { 'x-real-ip': '203.0.113.7' };
    const bare = await fetch(`${app.baseUrl}/metrics`, { headers: remote });
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await fetch(`${app.baseUrl}/metrics`, { headers: { ...remote, authorization: `Bearer ${TOKEN}0` } })).status).toBe(401);
    const ok = await fetch(`${app.baseUrl}/metrics`, { headers: { ...remote, authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^# TYPE roster_http_requests_total counter$/m);
    expect((await fetch(`${app.baseUrl}/metrics`, { headers: { 'x-real-ip': '127.0.0.1' } })).status).toBe(200);
  });

  it('echoes a well-formed x-request-id and makes one up otherwise', async () => {
    const given = await fetch(`${app.baseUrl}/healthz`, { headers: { 'x-request-id': 'trace-42.a' } });
    expect(given.headers.get('x-request-id')).toBe('trace-42.a');
    const bad = await fetch(`${app.baseUrl}/api/trpc/setup.status`, { headers: { 'x-request-id': 'no spaces <allowed>' } });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await fetch(`${app.baseUrl}/`)).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document', async () => {
    const res = await fetch(`${app.baseUrl}/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/"openapi": "3\.1\.0"/);
  });
});
