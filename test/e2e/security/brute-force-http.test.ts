/**
 * Issue 9 over real HTTP against the built app: guesses get 429 with
 * Retry-After well before 30, the right password is refused meanwhile, a
 * batch of password calls is refused whole before any runs, and the client
 * address is the socket's, not a header anyone can send.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwner, OWNER } from '../../support/cli.ts';
import { startApp, type RunningApp } from '../../support/server.ts';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
  await createOwner(app.baseUrl);
});
afterAll(() => app?.stop());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.baseUrl}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: app.baseUrl, ...headers },
    body: JSON.stringify(body),
  });

async function sql<T>(q: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: app.databaseUrl });
  await c.connect();
  try {
    return (await c.query(q, params)).rows as T[];
  } finally {
    await c.end();
  }
}

describe('brute force over HTTP', () => {
  it('answers the 11th guess with 429, Retry-After and RATE_LIMITED, and refuses the right password meanwhile', async () => {
    const statuses: number[] = [];
    let held: Response | undefined;
    for (let i = 1; i <= 30 && !held; i++) {
      const res = await post('auth.signIn', { email: OWNER.email, password: `guess-${i}` }, { 'x-forwarded-for': '10.9.8.7' });
      statuses.push(res.status);
      if (res.status === 429) held = res;
      else await res.text();
    }
    expect(statuses).toEqual([...Array(10).fill(401), 429]);
    expect(Number(held!.headers.get('retry-after'))).toBeGreaterThan(880);
    expect(Number(held!.headers.get('retry-after'))).toBeLessThanOrEqual(900);
    const body = await held!.json();
    expect(body.error.data).toMatchObject({ code: 'TOO_MANY_REQUESTS', httpStatus: 429, appCode: 'RATE_LIMITED', retryAfter: expect.any(Number) });

    const right = await post('auth.signIn', { email: OWNER.email, password: OWNER.password });
    expect(right.status).toBe(429);
    expect(right.headers.get('set-cookie')).toBeNull();
    expect((await right.json()).error.data.appCode).toBe('RATE_LIMITED');

    // The address recorded is the socket's: without ADDRESS_HEADER a forwarded-for header is not believed.
    const rows = await sql<{ ip: string }>(`select ip from audit_log where action = 'auth.signInFailed'`);
    expect(rows).toHaveLength(10);
    expect(new Set(rows.map((r) => r.ip))).toEqual(new Set(['127.0.0.1']));
  });

  it('refuses a batch of 50 sign-ins whole with BATCH_TOO_LARGE: no password is checked', async () => {
    const n = 50;
    const body = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { email: 'b@example.com', password: `g${i}` }]));
    const res = await post(`${Array(n).fill('auth.signIn').join(',')}?batch=1`, body);
    expect(res.status).toBe(400);
    const answers = (await res.json()) as { error: { data: { appCode: string } } }[];
    expect(answers).toHaveLength(n);
    expect(new Set(answers.map((a) => a.error.data.appCode))).toEqual(new Set(['BATCH_TOO_LARGE']));
    expect(await sql(`select 1 from audit_log where details->>'email' = 'b@example.com'`)).toEqual([]);
  });

  it('refuses two password calls in one batch, and more than 10 calls of any kind; 10 plain calls still work', async () => {
    const two = await post('auth.signIn,auth.signUp?batch=1', { 0: { email: 'c@example.com', password: 'x' }, 1: {} });
    expect(two.status).toBe(400);
    const answers = await two.json();
    expect(answers.map((a: { error: { message: string; data: { appCode: string } } }) => a.error.data.appCode)).toEqual(['BATCH_TOO_LARGE', 'BATCH_TOO_LARGE']);
    expect(answers[0].error.message).toBe('At most one sign-in or password call in one request (got 2)');

    const ten = await fetch(`${app.baseUrl}/api/trpc/${Array(10).fill('setup.status').join(',')}?batch=1&input={}`);
    expect(ten.status).toBe(200);
    expect(await ten.json()).toHaveLength(10);
    const eleven = await fetch(`${app.baseUrl}/api/trpc/${Array(11).fill('setup.status').join(',')}?batch=1&input={}`);
    expect(eleven.status).toBe(400);
    expect((await eleven.json())[0].error.data.appCode).toBe('BATCH_TOO_LARGE');
  });
});
