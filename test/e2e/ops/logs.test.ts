import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../support/server.ts';
import { startOwnRedis } from '../../support/worker.ts';
import { AppClient } from '../storage/http-client.ts';

const OWNER_PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'a brand new passphrase 9';

let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let app: RunningApp;
beforeAll(async () => {
  redis = await startOwnRedis();
  app = await startApp({ worker: true, env: { REDIS_URL: redis.url, LOG_LEVEL: 'info' } });
});
afterAll(async () => {
  await app?.stop();
  await redis?.stop();
});

const jsonLines = () =>
  app
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

async function until<T>(find: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${app.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('structured logs', () => {
  it('never contain the passwords, session ids or link tokens of a setup, sign-in and reset', async () => {
    const owner = await AppClient.owner(app.baseUrl); // setup.createOwner + auth.signIn
    const { user, generatedPassword } = await owner.call('admin.users.create', { email: 'rita@example.com', name: 'Rita', role: 'user', generatePassword: true });
    const rita = new AppClient(app.baseUrl);
    await rita.call('auth.signIn', { email: 'rita@example.com', password: generatedPassword });
    const link = await owner.call('admin.users.passwordResetLink', { id: user.id });
    expect((await fetch(`${app.baseUrl}${link.path}`)).status).toBe(200);
    await new AppClient(app.baseUrl).query('auth.resetLink', { token: link.token });
    await new AppClient(app.baseUrl).call('auth.resetPassword', { token: link.token, password: NEW_PASSWORD });
    const again = new AppClient(app.baseUrl);
    await again.call('auth.signIn', { email: 'rita@example.com', password: NEW_PASSWORD });
    const bearer = await fetch(`${app.baseUrl}/api/trpc/auth.me`, { headers: { authorization: `Bearer ${again.session}` } });
    expect(bearer.status).toBe(200);

    await until(() => jsonLines().find((l) => l.procedure === 'auth.me' && l.status === 200), 'the auth.me line');
    const out = app.output();
    for (const secret of [OWNER_PASSWORD, generatedPassword, NEW_PASSWORD, link.token, owner.session, rita.session, again.session]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(out).not.toContain(secret);
    }
    const reset = jsonLines().find((l) => l.path === '/reset/[redacted]');
    expect(reset).toMatchObject({ level: 'info', name: 'web', method: 'GET', procedure: 'page', status: 200, msg: 'request' });
  });

  it('write one line per request and carry its request id into the job it queues, logged by the worker', async () => {
    const owner = new AppClient(app.baseUrl);
    await owner.call('auth.signIn', { email: 'owner@example.com', password: OWNER_PASSWORD });
    const res = await fetch(`${app.baseUrl}/api/trpc/admin.jobs.run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: owner.cookie, 'x-request-id': 'ops-trace-7' },
      body: JSON.stringify({ name: 'recalculate-usage' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('ops-trace-7');
    const line = await until(() => jsonLines().find((l) => l.reqId === 'ops-trace-7'), 'the request line');
    expect(line).toMatchObject({ name: 'web', method: 'POST', path: '/api/trpc/admin.jobs.run', procedure: 'admin.jobs.run', status: 200, msg: 'request' });
    expect(line.durationMs).toEqual(expect.any(Number));
    const job = await until(() => jsonLines().find((l) => l.name === 'worker' && l.requestId === 'ops-trace-7'), 'the worker line of the job');
    expect(job).toMatchObject({ level: 'info', job: 'storage.recalculateUsage', msg: 'job completed' });
    expect(jsonLines().filter((l) => l.reqId === 'ops-trace-7')).toHaveLength(1);
  });
});
