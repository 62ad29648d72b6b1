/**
 * The calls of one tRPC batch share the request's context; each must still
 * get its own EntityManager, or a call that fails half-way has its change
 * flushed by a sibling, without the audit row it would have written.
 */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { recordAudit } from '@roster/core';
import { User } from '@roster/db';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appRouter, createContext } from '@roster/api';
import { createTestApi, TestJar, withOwner, type TestApi } from '@roster/test/support/api';
import { publicProcedure } from '../src/procedures.ts';
import { t } from '../src/trpc.ts';
import { db } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
});
afterAll(() => api.close());

it('a sibling call’s flush does not persist the change of a call that failed half-way', async () => {
  let changed!: () => void;
  const halfApplied = new Promise<void>((r) => (changed = r));
  let flushed!: () => void;
  const siblingDone = new Promise<void>((r) => (flushed = r));
  // Two procedures built with the router's own builders, as any procedure of appRouter is.
  const router = t.router({
    renameThenFail: publicProcedure.mutation(async ({ ctx }) => {
      const owner = await ctx.deps.em.findOneOrFail(User, { role: 'owner' });
      owner.name = 'Half-applied name';
      changed();
      await siblingDone;
      throw new Error('failed before its audit row and flush');
    }),
    auditedWrite: publicProcedure.mutation(async ({ ctx }) => {
      await halfApplied;
      recordAudit(ctx.deps.em, { actorId: null, action: 'test.sibling' });
      await ctx.deps.em.flush();
      flushed();
      return 'ok';
    }),
  });
  const ctx = await createContext(api.services, { headers: new Headers(), ip: '127.0.0.1', secure: false, cookies: new TestJar() });
  const res = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req: new Request('http://127.0.0.1/api/trpc/renameThenFail,auditedWrite?batch=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ 0: null, 1: null }),
    }),
    router,
    createContext: () => ctx,
  });
  const body = (await res.json()) as { error?: unknown; result?: { data: unknown } }[];
  expect(body[0]).toHaveProperty('error');
  expect(body[1]).toMatchObject({ result: { data: 'ok' } });
  const [owner] = await db(api).execute<{ name: string }[]>(`select name from users where role = 'owner'`);
  expect(owner!.name).not.toBe('Half-applied name');
  expect(await db(api).execute(`select action from audit_log where action = 'test.sibling'`)).toEqual([{ action: 'test.sibling' }]);
});

it('a lone call (one per request) uses the request’s EntityManager; otherwise each call gets a fork of it', async () => {
  const seen: unknown[] = [];
  const router = t.router({ which: publicProcedure.query(({ ctx }) => (seen.push(ctx.deps.em), 'ok')) });
  const request = () => ({ headers: new Headers(), ip: '127.0.0.1', secure: false, cookies: new TestJar() });
  const lone = await createContext(api.services, request(), { loneCall: true });
  const shared = await createContext(api.services, request());
  await t.createCallerFactory(router)(lone).which();
  await t.createCallerFactory(router)(shared).which();
  expect(seen[0]).toBe(lone.deps.em);
  expect(seen[1]).not.toBe(shared.deps.em);
  // Forked once, when first asked for, then the same for the whole request.
  expect(lone.deps.em).toBe(lone.deps.em);
  expect(lone.deps.em).not.toBe(shared.deps.em);
  expect(lone.deps.em).not.toBe(api.services.orm.em);
});

it('a session check forks no EntityManager: the request’s is made on first use', async () => {
  const proto = Object.getPrototypeOf(api.services.orm.em) as { fork: (...a: unknown[]) => unknown };
  const fork = proto.fork;
  let forks = 0;
  proto.fork = function (this: unknown, ...a: unknown[]) {
    forks++;
    return fork.apply(this, a);
  };
  const me = async () => {
    const ctx = await createContext(api.services, { headers: new Headers(), ip: '127.0.0.1', secure: false, cookies: owner }, { loneCall: true });
    return { ctx, me: await t.createCallerFactory(appRouter)(ctx).auth.me() };
  };
  try {
    await me(); // the first may write last-seen times, with a fork
    forks = 0;
    const { ctx, me: account } = await me();
    expect(account.role).toBe('owner');
    expect(forks).toBe(0);
    void ctx.deps.em;
    void ctx.deps.em;
    expect(forks).toBe(1);
  } finally {
    proto.fork = fork;
  }
});
