/** One timed cell of the peers harness: autocannon on loopback, latencies from every response. */
import autocannon from 'autocannon';

export type Req = { method: 'GET' | 'POST'; path: string; body?: string; headers?: Record<string, string> };
export interface Stat {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  n: number;
  bad: number;
}
const quantile = (xs: number[], q: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]! : NaN);

/** autocannon for `seconds` over a cycle of requests; latency quantiles from every response. */
export async function drive(base: string, connections: number, seconds: number, headers: Record<string, string>, next: () => Req): Promise<Stat> {
  const latencies: number[] = [];
  let bad = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: base,
        connections,
        duration: seconds,
        timeout: 20,
        headers,
        requests: [{ setupRequest: (req: autocannon.Request) => ({ ...req, ...next() }) }],
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      if (status >= 300) bad++;
    });
  });
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    n: latencies.length,
    bad: bad + result.errors + result.timeouts,
  };
}

