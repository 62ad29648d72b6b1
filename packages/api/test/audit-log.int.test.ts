/**
 * What the audit log holds and how it defends it: before/after diffs with
 * secrets redacted, sign-ins with address and user agent, the hash chain's
 * verdict on an edited, removed or inserted event, retention pruning behind
 * a checkpoint, and admin.audit.list's filters.
 */
import { chainPending, recordAudit } from '@roster/core';
import type { JobDeps } from '@roster/jobs';
import { auditChain, auditPrune } from '@roster/jobs/definitions/audit-chain';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApi, OWNER, TestJar, withOwner, type TestApi } from '@roster/test/support/api';
import { db, makeUser, rejection } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
const UA = 'audit-log-test';
const admin = () => api.as(owner, { 'user-agent': UA }).admin;
const sql = <T>(q: string, params: unknown[] = []) => db(api).execute<T[]>(q, params);
const lastEvent = async (action: string) =>
  (await sql<{ id: string; details: Record<string, any>; ip: string | null; user_agent: string | null; target_id: string | null; actor_id: string | null }>(
    `select id::text as id, details, ip, user_agent, target_id, actor_id from audit_log a where action = ? order by a.id desc limit 1`,
    [action],
  ))[0]!;

beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
}, 60_000);
afterAll(() => api?.close());

describe('event content', () => {
  it('an update records the fields it changed, before and after', async () => {
    const u = await makeUser(api, owner, { email: 'dora@example.com', name: 'Dora' });
    await admin().users.update({ id: u.id, email: 'dora.new@example.com', name: 'Dora New', quotaGiB: 2 });
    const e = await lastEvent('user.update');
    expect(e.details).toEqual({
      before: { email: 'dora@example.com', name: 'Dora', quotaBytes: null },
      after: { email: 'dora.new@example.com', name: 'Dora New', quotaBytes: 2 * 1024 ** 3 },
    });
    expect(e).toMatchObject({ target_id: u.id, ip: '127.0.0.1', user_agent: UA });
  });

  it("a user's own profile change records its diff; a password change never its value or hash", async () => {
    const u = await makeUser(api, owner, { email: 'ed@example.com', name: 'Ed' });
    await api.as(u.jar).me.update({ name: 'Edward' });
    expect((await lastEvent('me.update')).details).toEqual({ before: { name: 'Ed' }, after: { name: 'Edward' } });
    await api.as(u.jar).me.changePassword({ current: u.password, next: 'the next long password' });
    const all = JSON.stringify(await sql(`select details from audit_log`));
    expect(all).not.toContain('the next long password');
    expect(all).not.toContain(u.password);
    expect(all).not.toMatch(/\$argon2/);
  });

  it('signs-ins are recorded with address and user agent; a failure names the email tried, never the password', async () => {
    const u = await makeUser(api, owner, { email: 'fay@example.com' });
    const caller = api.as(new TestJar(), { 'user-agent': 'Firefox/200' });
    await caller.auth.signIn({ email: 'fay@example.com', password: u.password });
    expect(await lastEvent('auth.signIn')).toMatchObject({ actor_id: u.id, target_id: u.id, ip: '127.0.0.1', user_agent: 'Firefox/200' });
    await rejection(caller.auth.signIn({ email: 'nobody@example.com', password: 'secret guess 1' }));
    const failed = await lastEvent('auth.signInFailed');
    expect(failed).toMatchObject({ actor_id: null, target_id: null, ip: '127.0.0.1', user_agent: 'Firefox/200', details: { email: 'nobody@example.com' } });
    expect(JSON.stringify(await sql(`select * from audit_log`))).not.toContain('secret guess 1');
  });
});

describe('admin.audit.list', () => {
  it('pages newest first with names, and filters by actor, target, action and time', async () => {
    const u = await makeUser(api, owner, { email: 'gil@example.com', name: 'Gil' });
    await admin().users.suspend({ id: u.id, reason: 'list test' });
    const page = await admin().audit.list({ page: 1, pageSize: 2 });
    expect(page.items.map((i) => i.action)).toEqual(['user.suspend', 'auth.signIn']);
    expect(page.items[0]).toMatchObject({ actorEmail: OWNER.email, actorName: OWNER.name, targetId: u.id, targetName: 'Gil', targetEmail: 'gil@example.com' });
    expect(page.total).toBeGreaterThan(5);
    const history = await admin().audit.list({ page: 1, pageSize: 50, targetId: u.id });
    expect(history.items.map((i) => i.action)).toEqual(['user.suspend', 'auth.signIn', 'user.create']);
    expect((await admin().audit.list({ page: 1, pageSize: 50, action: 'user.' })).items.every((i) => i.action.startsWith('user.'))).toBe(true);
    expect((await admin().audit.list({ page: 1, pageSize: 50, actorId: u.id })).items.map((i) => i.action)).toEqual(['auth.signIn']);
    expect((await admin().audit.list({ page: 1, pageSize: 50, from: new Date(Date.now() + 60_000) })).total).toBe(0);
  });

  it('refuses a non-admin and bad filters', async () => {
    const u = await makeUser(api, owner, { email: 'hal@example.com' });
    expect(await rejection(api.as(u.jar).admin.audit.list({ page: 1, pageSize: 10 }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await rejection(admin().audit.list({ page: 1, pageSize: 10_000 }))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await rejection(admin().audit.list({ page: 1, pageSize: 10, actorId: 'nope' }))).toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('chaining', () => {
  it('links events written concurrently, while chainers run, into one unbroken sequence; rolled-back ids leave no gap', async () => {
    const u = await makeUser(api, owner, { email: 'ivy@example.com', name: 'Ivy' });
    await db(api)
      .transactional(async (em) => {
        recordAudit(em, { actorId: null, action: 'test.rolledBack' });
        await em.flush();
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => admin().users.update({ id: u.id, name: `Ivy ${i}` })),
      chainPending(db(api)),
      chainPending(db(api)),
    ]);
    await chainPending(db(api));
    const rows = await sql<{ seq: string }>(`select seq::text as seq from audit_log a order by a.seq`);
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
    expect(await admin().audit.verify()).toMatchObject({ ok: true, checked: rows.length });
  });
});

describe('tamper evidence', () => {
  // Each case damages a copy of the log and puts it back, so the cases do not see each other's damage.
  let saved: unknown[];
  beforeEach(async () => {
    expect(await admin().audit.verify()).toMatchObject({ ok: true });
    saved = await sql(`select * from audit_log`);
    return async () => {
      await sql(`delete from audit_log`);
      await db(api).execute(`insert into audit_log select * from jsonb_populate_recordset(null::audit_log, ?::jsonb)`, [JSON.stringify(saved)]);
      expect(await admin().audit.verify()).toMatchObject({ ok: true });
    };
  });
  const middle = async () => (await sql<{ id: string; seq: string }>(`select id::text as id, seq::text as seq from audit_log a order by a.seq offset 3 limit 1`))[0]!;

  it('an edited event is named', async () => {
    const e = await middle();
    await sql(`update audit_log set details = '{"reason":"nothing to see"}' where id = ?`, [e.id]);
    expect(await admin().audit.verify()).toMatchObject({ ok: false, problem: { kind: 'edited', id: Number(e.id), seq: Number(e.seq) } });
  });

  it('a removed event is named by the position it left', async () => {
    const e = await middle();
    await sql(`delete from audit_log where id = ?`, [e.id]);
    expect(await admin().audit.verify()).toMatchObject({ ok: false, problem: { kind: 'removed', seq: Number(e.seq) } });
  });

  it('a removed event is found even when the positions after it were renumbered', async () => {
    const e = await middle();
    await sql(`delete from audit_log where id = ?`, [e.id]);
    await sql(`update audit_log set seq = seq - 1 where seq > ?`, [e.seq]);
    expect(await admin().audit.verify()).toMatchObject({ ok: false, problem: { kind: 'removed', seq: Number(e.seq) } });
  });

  it('an event inserted into the chain with SQL is named', async () => {
    const e = await middle();
    const [forged] = await sql<{ id: string }>(
      `insert into audit_log (at, actor_id, action, details, seq, prev_hash, hash)
       select at, actor_id, 'user.create', '{}', seq, prev_hash, hash from audit_log where id = ? returning id::text`,
      [e.id],
    );
    expect(await admin().audit.verify()).toMatchObject({ ok: false, problem: { kind: 'inserted', id: Number(forged!.id) } });
  });
});

describe('retention', () => {
  it('prunes events past the setting behind a checkpoint, and the chain still verifies', async () => {
    await admin().settings.update({ auditRetentionDays: 30 });
    // Everything so far becomes 31 days old (and is chained afresh, as it would have been then).
    await sql(`update audit_log set at = at - interval '31 days', seq = null, prev_hash = null, hash = null`);
    const total = Number((await sql<{ n: string }>(`select count(*)::text as n from audit_log`))[0]!.n);
    await makeUser(api, owner, { email: 'late@example.com' });
    const jobDeps = () => ({ em: db(api), clock: api.services.clock }) as JobDeps;
    expect(await auditChain.process(jobDeps(), {}, { attemptsMade: 0 })).toEqual({ linked: total + 2 });
    const report = (await auditPrune.process(jobDeps(), {}, { attemptsMade: 0 })) as { pruned: number };
    expect(report.pruned).toBe(total);
    const left = await sql<{ action: string }>(`select action from audit_log order by id`);
    expect(left.map((r) => r.action)).toEqual(['user.create', 'auth.signIn', 'audit.prune']);
    expect((await sql(`select * from audit_checkpoint`)).length).toBe(1);
    expect(await admin().audit.verify()).toMatchObject({ ok: true, checked: 3 });
    expect(await auditPrune.process(jobDeps(), {}, { attemptsMade: 0 })).toEqual({ pruned: 0, checkpointSeq: null });
  });
});
