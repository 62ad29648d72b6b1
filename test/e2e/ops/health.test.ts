import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/server.ts';
import { startOwnRedis } from '../../support/worker.ts';

/** Polls `url` until its status is `status`; returns the last JSON body. */
async function statusBecomes(url: string, status: number, timeoutMs = 15_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: { status: number; body: unknown } = { status: 0, body: null };
  while (Date.now() < deadline) {
    const res = await fetch(url);
    last = { status: res.status, body: await res.json() };
    if (res.status === status) return last.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} stayed ${last.status}: ${JSON.stringify(last.body)}`);
}

let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let app: RunningApp;
beforeAll(async () => {
  redis = await startOwnRedis();
  app = await startApp({ env: { REDIS_URL: redis.url } });
});
afterAll(async () => {
  await app?.stop();
  await redis?.stop();
});

describe('/healthz and /readyz', () => {
  it('answer 200 while PostgreSQL, Redis and the schema are fine', async () => {
    const live = await fetch(`${app.baseUrl}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${app.baseUrl}/readyz`);
    // Status and body in one assertion, so a 503 shows which check failed and why.
    expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 200, body: { status: 'ok', checks: { postgres: 'ok', redis: 'ok', migrations: 'ok' } } });
  });

  it('readiness is 503 naming Redis while it is stopped, liveness stays 200, and both recover', async () => {
    await redis.stop();
    const down = await statusBecomes(`${app.baseUrl}/readyz`, 503);
    expect(down).toMatchObject({ status: 'unavailable', failed: ['redis'], checks: { postgres: 'ok', migrations: 'ok' } });
    expect(down.checks.redis).not.toBe('ok');
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
    redis = { ...redis, ...(await redis.restart()) };
    expect(await statusBecomes(`${app.baseUrl}/readyz`, 200, 30_000)).toMatchObject({ status: 'ok' });
  });

  it('readiness is 503 naming the migration while one is pending', async () => {
    const db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(`delete from mikro_orm_migrations where id = (select max(id) from mikro_orm_migrations) returning *`);
      const body = await statusBecomes(`${app.baseUrl}/readyz`, 503);
      expect(body.failed).toEqual(['migrations']);
      expect(body.checks.migrations).toMatch(new RegExp(`1 pending: .*${rows[0].name.replace(/\.[jt]s$/, '')}`));
      await db.query(`insert into mikro_orm_migrations (id, name, executed_at) values ($1, $2, $3)`, [rows[0].id, rows[0].name, rows[0].executed_at]);
      await statusBecomes(`${app.baseUrl}/readyz`, 200);
    } finally {
      await db.end();
    }
  });
});
