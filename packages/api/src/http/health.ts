import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../services.ts';

/** A dependency that does not answer within this is reported as failed (a probe must not hang). */
const CHECK_TIMEOUT_MS = 2_000;

type Check = () => Promise<void>;

/** The readiness checks: PostgreSQL answers, Redis answers, no migration is pending. */
export function readinessChecks(services: Services): Record<string, Check> {
  return {
    postgres: async () => {
      await services.orm.em.getConnection().execute('select 1');
    },
    redis: () => services.queue.ping(),
    migrations: async () => {
      const pending = await services.orm.migrator.getPending();
      if (pending.length) throw new Error(`${pending.length} pending: ${pending.map((m) => m.name).join(', ')}`);
    },
  };
}

async function run(check: Check): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)));
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (err) {
    return (err as Error)?.message || String(err);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check in parallel: 200 when all pass, else 503 naming the failed ones with their reasons. */
export async function readiness(services: () => Promise<Services>): Promise<{ status: number; body: Record<string, unknown> }> {
  let checks: Record<string, Check>;
  try {
    checks = readinessChecks(await services());
  } catch (err) {
    // The services open PostgreSQL first: failing to open them means it is not reachable.
    return { status: 503, body: { status: 'unavailable', failed: ['postgres'], checks: { postgres: (err as Error).message } } };
  }
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((n) => run(checks[n]!)));
  const failed = names.filter((_, i) => results[i] !== 'ok');
  const body = { status: failed.length ? 'unavailable' : 'ok', ...(failed.length ? { failed } : {}), checks: Object.fromEntries(names.map((n, i) => [n, results[i]])) };
  return { status: failed.length ? 503 : 200, body };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

/** /healthz: the process serves requests; nothing else is asked (a restart would not fix a database outage). */
export function liveness(_req: IncomingMessage, res: ServerResponse): void {
  sendJson(res, 200, { status: 'ok' });
}
