import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDelivery, recordAttempt, recordAudit, syncQuotaWarnings, userRowStep, WEBHOOK_DISABLE_AFTER_MS, webhookBody, type CoreDeps } from '@roster/core';
import { createTestApi, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';
import { auditRows, db, makeUser, rejection } from './admin-users.support.ts';

/** Webhook endpoints through the router, and what the emission triggers write to the outbox (no HTTP here: see test/e2e/webhooks). */
let api: TestApi;
let owner: TestJar;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
});
afterAll(() => api.close());

const hooks = () => api.as(owner).admin.webhooks;
const sql = <T>(q: string, p: unknown[] = []) => db(api).execute(q, p) as Promise<T>;
const deliveries = (endpointId: string) =>
  sql<{ id: string; event: string; data: Record<string, unknown>; status: string }[]>(
    `select * from webhook_deliveries where endpoint_id = ? order by created_at, event`,
    [endpointId],
  );
// Only ever loopback: allowPrivateNetwork lets the endpoint exist, and nothing in this file sends a request.
const PRIVATE_OK = { url: 'http://127.0.0.1:9/hook', allowPrivateNetwork: true };

describe('admin.webhooks.create: SSRF guard', () => {
  const refused = [
    'http://127.0.0.1/hook',
    'http://127.1.2.3:8080/',
    'http://2130706433/', // decimal 127.0.0.1
    'http://0x7f.0.0.1/', // hex
    'http://0177.0.0.1/', // octal
    'http://localhost:3000/hook',
    'http://10.1.2.3/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://169.254.169.254/latest/meta-data',
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    'http://224.0.0.1/',
    'http://[::1]/',
    'http://[::]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://[ff02::1]/',
  ];
  it.each(refused)('refuses %s with BAD_REQUEST', async (url) => {
    const err = await rejection(hooks().create({ url, events: ['user.created'] }));
    expect(err).toMatchObject({ code: 'BAD_REQUEST', appCode: 'WEBHOOK_URL_REFUSED' });
    expect(err.message).toMatch(/private or loopback/);
  });

  it('refuses other schemes, credentials in the URL and unknown events, and creates nothing', async () => {
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'http://u:p@example.com/', 'not a url'])
      expect(await rejection(hooks().create({ url, events: ['user.created'] }))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await rejection(hooks().create({ url: 'http://example.com/', events: ['user.exploded' as never] }))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await rejection(hooks().create({ url: 'http://example.com/', events: [] }))).toMatchObject({ code: 'BAD_REQUEST' });
    expect((await hooks().list()).items).toEqual([]);
  });

  it('accepts a loopback endpoint with allowPrivateNetwork; the secret is shown once', async () => {
    const created = await hooks().create({ ...PRIVATE_OK, events: ['user.created', 'user.created'] });
    expect(created).toMatchObject({ id: expect.any(String), url: 'http://127.0.0.1:9/hook', events: ['user.created'], enabled: true, allowPrivateNetwork: true });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = (await hooks().list()).items.find((e) => e.id === created.id)!;
    expect(JSON.stringify(listed)).not.toContain(created.secret.slice(6));
    expect(listed).not.toHaveProperty('secret');
    const [audit] = (await auditRows(api, 'webhook.create')).slice(-1);
    expect(audit!.details).toMatchObject({ webhookId: created.id, allowPrivateNetwork: true });
    expect(JSON.stringify(audit)).not.toContain(created.secret.slice(6));
    // Turning the allowance off re-checks the URL.
    expect(await rejection(hooks().update({ id: created.id, allowPrivateNetwork: false }))).toMatchObject({ appCode: 'WEBHOOK_URL_REFUSED' });
    await hooks().delete({ id: created.id });
    expect(await rejection(hooks().delete({ id: created.id }))).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('emission: an outbox row per subscribed endpoint, in the transaction of the change', () => {
  it('writes nothing while no endpoint is enabled', async () => {
    const before = await sql<{ n: number }[]>(`select count(*)::int as n from webhook_deliveries`);
    await makeUser(api, owner, { email: 'quiet@example.com', name: 'Quiet' });
    expect(await sql<{ n: number }[]>(`select count(*)::int as n from webhook_deliveries`)).toEqual(before);
  });

  it('user.created carries the user as admin.users.get returns it', async () => {
    const ep = await hooks().create({ ...PRIVATE_OK, events: ['user.created', 'user.updated'] });
    const other = await hooks().create({ ...PRIVATE_OK, events: ['user.deleted'] });
    const u = await makeUser(api, owner, { email: 'hooked@example.com', name: 'Hooked' });
    const rows = await deliveries(ep.id);
    expect(rows.map((r) => [r.event, r.status])).toEqual([['user.created', 'pending']]);
    expect(await deliveries(other.id)).toEqual([]);
    const work = (await loadDelivery(db(api), rows[0]!.id))!;
    const body = JSON.parse(webhookBody(work));
    // The user as admin.users.get gives it, less `may` and `actions` (what the caller viewing it may do: no caller here).
    const { may: _may, actions: _actions, ...viaApi } = await api.as(owner).admin.users.get({ id: u.id });
    expect(body).toEqual({ type: 'user.created', timestamp: expect.any(String), data: viaApi });
    expect(body.data.email).toBe('hooked@example.com');
    expect(body.data).not.toHaveProperty('passwordHash');
    await hooks().delete({ id: ep.id });
    await hooks().delete({ id: other.id });
  });

  it('approval: pending → user gives updated, roleChanged and approved; a name change gives updated only', async () => {
    const ep = await hooks().create({ ...PRIVATE_OK, events: ['user.updated', 'user.roleChanged', 'user.approved', 'user.suspended', 'user.deleted'] });
    const u = await makeUser(api, owner, { email: 'waiting@example.com', name: 'Waiting', role: 'pending' });
    await api.as(owner).admin.users.update({ id: u.id, role: 'user' });
    await api.as(owner).admin.users.update({ id: u.id, name: 'Renamed' });
    await api.as(owner).admin.users.suspend({ id: u.id, reason: 'test' });
    const events = (await deliveries(ep.id)).map((r) => r.event);
    expect(events.sort()).toEqual(['user.approved', 'user.roleChanged', 'user.suspended', 'user.updated', 'user.updated'].sort());
    const renamed = (await deliveries(ep.id)).filter((r) => r.event === 'user.updated').map((r) => (r.data.user as { name: string }).name);
    expect(renamed.sort()).toEqual(['Renamed', 'Waiting']);
    await hooks().update({ id: ep.id, enabled: false });
    await api.as(owner).admin.users.unsuspend({ id: u.id });
    expect((await deliveries(ep.id)).length).toBe(5);
    await hooks().delete({ id: ep.id });
  });

  it('sign-up gives user.signedUp; approving the pending account gives user.approved', async () => {
    const ep = await hooks().create({ ...PRIVATE_OK, events: ['user.signedUp', 'user.approved'] });
    await api.as(owner).admin.settings.update({ signupEnabled: true, defaultRole: 'pending' });
    const { user } = await api.as().auth.signUp({ email: 'selfmade@example.com', name: 'Self Made', password: 'a long enough password' });
    const id = user.id;
    await api.as(owner).admin.users.update({ id, role: 'user' });
    const rows = await deliveries(ep.id);
    expect(rows.map((r) => r.event)).toEqual(['user.signedUp', 'user.approved']);
    expect(rows.map((r) => (r.data.user as { role: string }).role)).toEqual(['pending', 'user']);
    await api.as(owner).admin.settings.update({ signupEnabled: false });
    await hooks().delete({ id: ep.id });
  });

  it('a change that rolls back after its audit row was written sends nothing', async () => {
    const ep = await hooks().create({ ...PRIVATE_OK, events: ['user.created'] });
    const u = await makeUser(api, owner, { email: 'rollback@example.com', name: 'Rollback' });
    const n = (await deliveries(ep.id)).length;
    await expect(
      db(api).transactional(async (em) => {
        recordAudit(em, { actorId: null, action: 'user.create', targetId: u.id });
        await em.flush();
        expect((await em.execute(`select count(*)::int as n from audit_log where action = 'user.create' and target_id = ?`, [u.id]))[0].n).toBe(2);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await deliveries(ep.id)).length).toBe(n);
    // The same transaction committed does emit: the trigger, not the test, made the difference.
    await db(api).transactional(async (em) => recordAudit(em, { actorId: null, action: 'user.create', targetId: u.id }));
    expect((await deliveries(ep.id)).length).toBe(n + 1);
    await hooks().delete({ id: ep.id });
  });
});

describe('the other events', () => {
  const bodies = async (endpointId: string) =>
    (await deliveries(endpointId)).map((r) => JSON.parse(webhookBody(r as unknown as Parameters<typeof webhookBody>[0])));

  it('user.deleted (with purgeAt), user.restored, user.purged, group.membershipChanged, quota.warning once per crossing', async () => {
    const ep = await hooks().create({
      ...PRIVATE_OK,
      events: ['user.deleted', 'user.restored', 'user.purged', 'group.membershipChanged', 'quota.warning'],
    });
    const u = await makeUser(api, owner, { email: 'lifecycle@example.com', name: 'Lifecycle' });
    const del = await api.as(owner).admin.users.delete({ id: u.id });
    await api.as(owner).admin.users.restore({ id: u.id });
    const g = await api.as(owner).admin.groups.create({ name: 'Hooked group', grants: [], denies: [] });
    await api.as(owner).admin.groups.addMembers({ groupId: g.id, userIds: [u.id] });
    await api.as(owner).admin.groups.removeMembers({ groupId: g.id, userIds: [u.id] });
    // Usage past 90 % of the quota, twice in a row: one warning; back under and over again: a second one.
    const over = async (usage: number) =>
      db(api).transactional(async (em) => {
        await em.execute(`update users set quota_bytes = 1000, usage_bytes = ? where id = ?`, [usage, u.id]);
        await syncQuotaWarnings(em, u.id);
      });
    await over(950);
    await over(960);
    await over(100);
    await over(920);
    let got = await bodies(ep.id);
    expect(got.map((b) => b.type)).toEqual([
      'user.deleted', 'user.restored', 'group.membershipChanged', 'group.membershipChanged', 'quota.warning', 'quota.warning',
    ]);
    expect(got[0].data).toMatchObject({ id: u.id, status: 'deleted', purgeAt: del.user.purgeAt });
    expect(got[0].data.purgeAt).toEqual(expect.any(String));
    expect(got[1].data).toMatchObject({ id: u.id, status: 'active', purgeAt: null });
    expect(got[2].data).toMatchObject({ group: { id: g.id, name: 'Hooked group', memberCount: 1 }, change: { action: 'group.members.add' } });
    expect(got[3].data).toMatchObject({ group: { id: g.id, memberCount: 0 }, change: { action: 'group.members.remove' } });
    expect(got[4].data).toMatchObject({ id: u.id, usageBytes: 950, quotaBytes: 1000, quotaPercent: 90 });

    // The purge's last step (row gone): what is left is the id and the dates, and sent deliveries forget the rest.
    await sql(`update webhook_deliveries set status = 'succeeded' where endpoint_id = ?`, [ep.id]);
    await api.as(owner).admin.users.delete({ id: u.id });
    await sql(`update users set purge_started_at = now() where id = ?`, [u.id]);
    const deps = { em: db(api), clock: api.services.clock } as unknown as CoreDeps;
    await userRowStep.run({ deps, userId: u.id, transferToUserId: null, log: () => {} });
    got = await bodies(ep.id);
    expect(got.at(-1)).toMatchObject({ type: 'user.purged', data: { id: u.id, purgeAt: expect.any(String), purgedAt: expect.any(String) } });
    expect(JSON.stringify(got.at(-1))).not.toContain('lifecycle@example.com');
    const kept = await sql<{ status: string; data: object }[]>(`select status, data from webhook_deliveries where endpoint_id = ? and data::text like '%lifecycle@%'`, [ep.id]);
    expect(kept.map((k) => k.status)).toEqual(['pending']); // the second user.deleted, not yet sent, still goes out whole
    await hooks().delete({ id: ep.id });
  });
});

describe('an endpoint failing for a day', () => {
  it('is disabled, audited, and every admin gets a notification (injected clock)', async () => {
    const ep = await hooks().create({ ...PRIVATE_OK, events: ['user.created'] });
    const d = await hooks().test({ id: ep.id });
    await makeUser(api, owner, { email: 'failing@example.com', name: 'Failing' });
    const [real] = (await deliveries(ep.id)).filter((r) => r.event === 'user.created');
    const t0 = new Date('2026-01-01T00:00:00Z');
    const at = (ms: number) => ({ em: db(api), clock: { now: () => new Date(t0.getTime() + ms) } });
    const fail = { ok: false, statusCode: 500, error: 'HTTP 500', final: false };
    // A failing test event says so in its log and nothing more.
    expect(await recordAttempt(at(0), (await loadDelivery(db(api), d.id))!, fail)).toEqual({ disabled: false });
    expect((await hooks().list()).items.find((e) => e.id === ep.id)!.firstFailureAt).toBeNull();
    const work = (await loadDelivery(db(api), real!.id))!;
    expect(await recordAttempt(at(0), work, fail)).toEqual({ disabled: false });
    expect(await recordAttempt(at(WEBHOOK_DISABLE_AFTER_MS - 1000), work, fail)).toEqual({ disabled: false });
    expect(await recordAttempt(at(WEBHOOK_DISABLE_AFTER_MS), work, { ...fail, final: true })).toEqual({ disabled: true });
    const after = (await hooks().list()).items.find((e) => e.id === ep.id)!;
    expect(after).toMatchObject({ enabled: false, firstFailureAt: t0.toISOString(), disabledReason: expect.stringContaining('HTTP 500') });
    const notes = await api.as(owner).notifications.list({ page: 1, pageSize: 10 });
    expect(notes.items.find((x) => x.kind === 'webhook.disabled')).toMatchObject({ data: { webhookId: ep.id } });
    expect((await auditRows(api, 'webhook.disable')).slice(-1)[0]!.details).toMatchObject({ webhookId: ep.id });
    const [row] = await sql<{ status: string; attempts: number; last_status_code: number }[]>(`select * from webhook_deliveries where id = ?`, [real!.id]);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, last_status_code: 500 });
    // A success in between resets the streak: enabling again gives a fresh day.
    await hooks().update({ id: ep.id, enabled: true });
    expect((await hooks().list()).items.find((e) => e.id === ep.id)).toMatchObject({ enabled: true, firstFailureAt: null, disabledReason: null });
    await hooks().delete({ id: ep.id });
  });
});
