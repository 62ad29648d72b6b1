/**
 * Issue 9, brute force: accounts held after repeated failures (Keycloak's
 * model), addresses after too many attempts, counters in Redis keyed per
 * instance, holds listed and released by admins, every refusal made before
 * any password work.
 */
import { createCaller, createContext, createServices, type Services } from '@roster/api';
import { instanceId } from '@roster/core';
import { redisConnection } from '@roster/jobs';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createTestApi, OWNER, TestJar, withOwner, type TestApi } from '@roster/test/support/api';
import { createTestDatabase } from '@roster/test/support/database';
import { auditRows, db, makeUser, rejection } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
let redis: ReturnType<typeof redisConnection>;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
  redis = redisConnection(inject('redisUrl'), 'worker');
});
afterAll(async () => {
  redis.disconnect();
  await api.close();
});

/** A caller from a given address and browser (api.as always uses 127.0.0.1). */
const from = (services: Services, ip: string, jar = new TestJar()) =>
  createCaller(() => createContext(services, { headers: new Headers({ 'user-agent': `agent-of-${ip}` }), ip, secure: false, cookies: jar }));

const guess = (caller: ReturnType<typeof from>, email: string, password: string) => rejection(caller.auth.signIn({ email, password }));

describe('account holds', () => {
  it('holds an account after 10 failed sign-ins: the right password is refused too, with the wait, and no hash is computed', async () => {
    const ana = await makeUser(api, owner, { email: 'ana@example.com', name: 'Ana' });
    const caller = from(api.services, '203.0.113.5');
    for (let i = 0; i < 10; i++)
      expect(await guess(caller, 'ana@example.com', `wrong-${i}`)).toMatchObject({ code: 'UNAUTHORIZED', appCode: 'INVALID_CREDENTIALS' });
    const held = await rejection(caller.auth.signIn({ email: 'ana@example.com', password: ana.password }));
    expect(held).toMatchObject({ code: 'TOO_MANY_REQUESTS', appCode: 'RATE_LIMITED', message: 'Too many attempts; try again in 15 minutes' });
    // From another address too: the hold is on the account.
    expect(await guess(from(api.services, '198.51.100.7'), 'ANA@example.com', ana.password)).toMatchObject({ appCode: 'RATE_LIMITED' });
    for (let i = 0; i < 5; i++) expect(await guess(caller, 'ana@example.com', `more-${i}`)).toMatchObject({ appCode: 'RATE_LIMITED' });

    // Refused guesses reach no password check (only checked ones are audited as failures), and the hold is one event.
    const failed = await auditRows(api, 'auth.signInFailed', ana.id);
    expect(failed).toHaveLength(10);
    expect(failed[0]!.details).toEqual({ email: 'ana@example.com' });
    const origins = `select distinct ip, user_agent from audit_log where action = 'auth.signInFailed' and target_id = ?`;
    expect(await db(api).execute(origins, [ana.id])).toEqual([{ ip: '203.0.113.5', user_agent: 'agent-of-203.0.113.5' }]);
    const holds = await auditRows(api, 'auth.accountHeld', ana.id);
    expect(holds).toEqual([
      { actor_id: null, action: 'auth.accountHeld', target_id: ana.id, details: { account: 'ana@example.com', ip: '203.0.113.5', userAgent: 'agent-of-203.0.113.5', seconds: 900 } },
    ]);
  });

  it('carries the wait in the error data for Retry-After', async () => {
    const jar = new TestJar();
    const err = await from(api.services, '203.0.113.5', jar)
      .auth.signIn({ email: 'ana@example.com', password: 'x' })
      .catch((e: unknown) => e);
    const { getTRPCErrorShape } = await import('@trpc/server');
    const { appRouter } = await import('@roster/api');
    const shape = getTRPCErrorShape({ config: appRouter._def._config, error: err as never, type: 'mutation', path: 'auth.signIn', input: undefined, ctx: undefined });
    expect(shape.data).toMatchObject({ httpStatus: 429, appCode: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect((shape.data as { retryAfter: number }).retryAfter).toBeGreaterThan(880);
    expect((shape.data as { retryAfter: number }).retryAfter).toBeLessThanOrEqual(900);
  });

  it('lists held accounts for admins, who release them (audited); the account signs in again', async () => {
    const list = await api.as(owner).admin.security.holds.list();
    const [{ id }] = await db(api).execute<{ id: string }[]>(`select id from users where email = 'ana@example.com'`);
    expect(list).toEqual([{ kind: 'account', key: 'ana@example.com', until: expect.any(String), user: { id, name: 'Ana' } }]);
    expect(Date.parse(list[0]!.until) - Date.now()).toBeGreaterThan(14 * 60_000);

    const user = await makeUser(api, owner, { email: 'uma@example.com' });
    expect(await rejection(api.as(user.jar).admin.security.holds.list())).toMatchObject({ code: 'FORBIDDEN' });
    expect(await rejection(api.as(user.jar).admin.security.holds.release({ kind: 'account', key: 'ana@example.com' }))).toMatchObject({ code: 'FORBIDDEN' });

    expect(await api.as(owner).admin.security.holds.release({ kind: 'account', key: 'Ana@Example.com' })).toEqual({ released: true });
    expect(await api.as(owner).admin.security.holds.list()).toEqual([]);
    expect(await rejection(api.as(owner).admin.security.holds.release({ kind: 'account', key: 'ana@example.com' }))).toMatchObject({
      code: 'NOT_FOUND',
      message: 'That account is not held',
    });
    const [ownerRow] = await db(api).execute<{ id: string }[]>(`select id from users where role = 'owner'`);
    expect(await auditRows(api, 'security.releaseHold', id)).toEqual([
      { actor_id: ownerRow!.id, action: 'security.releaseHold', target_id: id, details: { kind: 'account', key: 'ana@example.com' } },
    ]);
    await from(api.services, '203.0.113.5').auth.signIn({ email: 'ana@example.com', password: 'a long enough password' });
    const ok = await auditRows(api, 'auth.signIn', id);
    expect(ok.at(-1)).toMatchObject({ actor_id: id, details: { email: 'ana@example.com' } });
  });

  it('does not count sign-ins that proved the password, nor forget the failures before them', async () => {
    const caller = from(api.services, '203.0.113.6');
    const bo = await makeUser(api, owner, { email: 'bo@example.com' });
    for (let i = 0; i < 9; i++) expect(await guess(caller, bo.email, `typo-${i}`)).toMatchObject({ appCode: 'INVALID_CREDENTIALS' });
    await caller.auth.signIn({ email: bo.email, password: bo.password });
    await caller.auth.signIn({ email: bo.email, password: bo.password });
    expect(await guess(caller, bo.email, 'typo-9')).toMatchObject({ appCode: 'INVALID_CREDENTIALS' });
    // A success does not wipe a guesser's progress: the tenth failure holds the account.
    expect(await guess(caller, bo.email, bo.password)).toMatchObject({ appCode: 'RATE_LIMITED' });
    await api.as(owner).admin.security.holds.release({ kind: 'account', key: bo.email });
  });

  it('grows the wait with each hold until a quiet period: the second hold lasts twice the first', async () => {
    await api.as(owner).admin.settings.update({ lockoutFailures: 3, lockoutWaitMinutes: 2, lockoutMaxWaitMinutes: 5 });
    const caller = from(api.services, '203.0.113.8');
    const holdKey = `roster:throttle:${await instanceId(db(api))}:account:cy@example.com:hold`;
    const waits: string[] = [];
    for (let hold = 0; hold < 3; hold++) {
      for (let i = 0; i < 3; i++) expect(await guess(caller, 'cy@example.com', 'x')).toMatchObject({ appCode: 'INVALID_CREDENTIALS' });
      waits.push((await guess(caller, 'cy@example.com', 'x')).message);
      await redis.hset(holdKey, 'until', '0'); // the hold ends (without waiting minutes)
    }
    expect(waits).toEqual([
      'Too many attempts; try again in 2 minutes',
      'Too many attempts; try again in 4 minutes',
      'Too many attempts; try again in 5 minutes',
    ]);
    const cyHolds = (await auditRows(api, 'auth.accountHeld')).filter((r) => r.details.account === 'cy@example.com');
    expect(cyHolds.map((r) => r.details.seconds)).toEqual([120, 240, 300]);
    await api.as(owner).admin.security.holds.release({ kind: 'account', key: 'cy@example.com' });
    await api.as(owner).admin.settings.update({ lockoutFailures: 10, lockoutWaitMinutes: 15, lockoutMaxWaitMinutes: 240 });
  });

  it('counts wrong current passwords in me.changePassword against the account', async () => {
    await api.as(owner).admin.settings.update({ lockoutFailures: 2 });
    const dee = await makeUser(api, owner, { email: 'dee@example.com' });
    const caller = from(api.services, '203.0.113.9', dee.jar);
    for (let i = 0; i < 2; i++)
      expect(await rejection(caller.me.changePassword({ current: 'nope', next: 'a brand new password' }))).toMatchObject({ appCode: 'WRONG_PASSWORD' });
    expect(await rejection(caller.me.changePassword({ current: dee.password, next: 'a brand new password' }))).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      appCode: 'RATE_LIMITED',
    });
    expect(await guess(caller, dee.email, dee.password)).toMatchObject({ appCode: 'RATE_LIMITED' });
    await api.as(owner).admin.security.holds.release({ kind: 'account', key: dee.email });
    await api.as(owner).admin.settings.update({ lockoutFailures: 10 });
  });

  it('limits the owner re-checking the password for transferOwnership', async () => {
    await api.as(owner).admin.settings.update({ lockoutFailures: 2 });
    const target = await makeUser(api, owner, { email: 'eve@example.com' });
    const call = () => from(api.services, '203.0.113.10', owner).admin.users.transferOwnership({ id: target.id, password: 'wrong' });
    expect(await rejection(call())).toMatchObject({ appCode: 'WRONG_PASSWORD' });
    expect(await rejection(call())).toMatchObject({ appCode: 'WRONG_PASSWORD' });
    expect(await rejection(call())).toMatchObject({ appCode: 'RATE_LIMITED' });
    await api.as(owner).admin.security.holds.release({ kind: 'account', key: OWNER.email });
    await api.as(owner).admin.settings.update({ lockoutFailures: 10 });
  });
});

describe('address limits', () => {
  it('holds an address after ipAttemptLimit credential attempts, whatever the accounts, and lists it', async () => {
    await api.as(owner).admin.settings.update({ ipAttemptLimit: 4, signupEnabled: true });
    const caller = from(api.services, '192.0.2.44');
    expect(await guess(caller, 'nobody1@example.com', 'x')).toMatchObject({ appCode: 'INVALID_CREDENTIALS' });
    expect(await rejection(caller.auth.resetPassword({ token: 'a'.repeat(40), password: 'long enough password' }))).toMatchObject({ appCode: 'TOKEN_INVALID' });
    expect(await rejection(caller.auth.acceptInvitation({ token: 'b'.repeat(40), name: 'X', password: 'long enough password' }))).toMatchObject({
      appCode: 'TOKEN_INVALID',
    });
    await caller.auth.signUp({ email: 'signup1@example.com', name: 'Sig', password: 'long enough password' });
    expect(await rejection(caller.auth.signUp({ email: 'signup2@example.com', name: 'Sig', password: 'long enough password' }))).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      appCode: 'RATE_LIMITED',
    });
    expect(await guess(caller, 'nobody2@example.com', 'x')).toMatchObject({ appCode: 'RATE_LIMITED' });
    expect(await db(api).execute(`select 1 from users where email = 'signup2@example.com'`)).toEqual([]);
    // Another address is not affected.
    expect(await guess(from(api.services, '192.0.2.45'), 'nobody2@example.com', 'x')).toMatchObject({ appCode: 'INVALID_CREDENTIALS' });
    // 127.0.0.1 (the setup's own calls) may be held by the low limit too.
    const ips = (await api.as(owner).admin.security.holds.list()).filter((h) => h.kind === 'ip' && h.key !== '127.0.0.1');
    expect(ips).toEqual([{ kind: 'ip', key: '192.0.2.44', until: expect.any(String), user: null }]);
    expect((await auditRows(api, 'auth.addressHeld')).filter((r) => r.details.ip === '192.0.2.44')).toHaveLength(1);
    await api.as(owner).admin.security.holds.release({ kind: 'ip', key: '192.0.2.44' });
    expect(await guess(caller, 'nobody3@example.com', 'x')).toMatchObject({ appCode: 'INVALID_CREDENTIALS' });
    await api.as(owner).admin.settings.update({ ipAttemptLimit: 100, signupEnabled: false });
    await api.as(owner).admin.security.holds.release({ kind: 'ip', key: '127.0.0.1' }).catch(() => {});
  });
});

describe('counters per instance', () => {
  it('keeps two databases sharing one Redis apart', async () => {
    const other = await createServices({
      databaseUrl: await createTestDatabase(),
      redisUrl: inject('redisUrl'),
      dataDir: fs.mkdtempSync(path.join(inject('tmpRoot'), 'data-')),
    });
    try {
      const here = from(api.services, '203.0.113.77');
      for (let i = 0; i < 10; i++) await guess(here, 'zed@example.com', 'x');
      expect(await guess(here, 'zed@example.com', 'x')).toMatchObject({ appCode: 'RATE_LIMITED' });
      expect(await guess(from(other, '203.0.113.77'), 'zed@example.com', 'x')).toMatchObject({ appCode: 'INVALID_CREDENTIALS' });
      expect(await instanceId(other.orm.em.fork())).not.toBe(await instanceId(db(api)));
    } finally {
      await other.close();
    }
  });

  it('lets credential checks through when Redis is unreachable (fails open, fast)', async () => {
    const down = await createServices({
      databaseUrl: api.databaseUrl,
      redisUrl: 'redis://127.0.0.1:1',
      dataDir: fs.mkdtempSync(path.join(inject('tmpRoot'), 'data-')),
    });
    try {
      const started = Date.now();
      const jar = new TestJar();
      await from(down, '203.0.113.78', jar).auth.signIn({ email: OWNER.email, password: OWNER.password });
      expect(jar.cookies.size).toBe(1);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await down.close();
    }
  });
});

describe('users.search', () => {
  it('matches names only for non-admins; admins also match email fragments', async () => {
    const fay = await makeUser(api, owner, { email: 'secret.handle@hidden.test', name: 'Fay Visible' });
    const me = await makeUser(api, owner, { email: 'gus@example.com', name: 'Gus' });
    expect(await api.as(me.jar).users.search({ query: 'hidden.test' })).toEqual([]);
    expect(await api.as(me.jar).users.search({ query: 'secret' })).toEqual([]);
    expect((await api.as(me.jar).users.search({ query: 'visible' })).map((u) => u.id)).toEqual([fay.id]);
    expect((await api.as(owner).users.search({ query: 'hidden.test' })).map((u) => u.id)).toEqual([fay.id]);
  });
});
