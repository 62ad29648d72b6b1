/**
 * Every mutation procedure of the router writes an audit event: the list of
 * mutations comes from `appRouter._def.procedures`, so a new mutation without
 * a case below (or an entry in WRITES_NONE with its reason) fails here by
 * name. Each case calls the procedure with valid input as a real request
 * (address and user agent) and finds the event it wrote, with both.
 */
import { appRouter } from '@roster/api';
import { uploadFile, type Actor, type CoreDeps } from '@roster/core';
import { User } from '@roster/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, OWNER, TestJar, type TestApi } from '@roster/test/support/api';
import { db, makeUser, signIn } from './admin-users.support.ts';

type ProcedureDef = { _def: { type: string } };
const procedures = (appRouter as unknown as { _def: { procedures: Record<string, ProcedureDef> } })._def.procedures;
// Transferring ownership last: the owner's jar stays the owner's for every other case.
const MUTATIONS = Object.keys(procedures)
  .filter((p) => procedures[p]!._def.type === 'mutation')
  .sort((a, b) => Number(a === 'admin.users.transferOwnership') - Number(b === 'admin.users.transferOwnership'));

/** Mutations that legitimately write no event, and why. */
const WRITES_NONE: Record<string, string> = {
  'notifications.markRead': "a read marker on the caller's own notifications: no account, access or data changes",
  'admin.users.bulkPreview': 'a preview: counts who the action would touch and who it refuses, and changes nothing',
};

const UA = 'audit-completeness/1.0';
let api: TestApi;
let owner: TestJar;
let n = 0;
const as = (jar: TestJar = new TestJar()) => api.as(jar, { 'user-agent': UA });
const admin = () => as(owner).admin;
const fresh = (tag: string) => makeUser(api, owner, { email: `${tag}-${++n}@example.com`, name: `${tag} ${n}` });
const group = (tag: string) => admin().groups.create({ name: `${tag} ${++n}`, grants: [], denies: [] });
// Loopback with the allowance: no worker runs here, so nothing is ever sent.
const hook = () => admin().webhooks.create({ url: `http://127.0.0.1:9/hook-${++n}`, events: ['user.created'], allowPrivateNetwork: true });

/** Prepares what the call needs and returns the call; `target` is the id the event must name, when there is one. */
type Case = { action: string; prepare: () => Promise<{ call: () => Promise<unknown>; target?: string }> };
const at = (action: string, prepare: Case['prepare']): Case => ({ action, prepare });

const CASES: Record<string, Case> = {
  'setup.createOwner': at('setup.createOwner', async () => ({ call: () => as(owner).setup.createOwner(OWNER) })),
  'auth.signUp': at('user.signUp', async () => {
    await admin().settings.update({ signupEnabled: true });
    return { call: () => as().auth.signUp({ email: 'sam@example.com', name: 'Sam', password: 'sam-password-1' }) };
  }),
  'auth.acceptInvitation': at('invitation.accept', async () => {
    const { token } = await admin().users.invite({ email: 'ivy@example.com', role: 'user' });
    return { call: () => as().auth.acceptInvitation({ token, name: 'Ivy', password: 'ivy-password-1' }) };
  }),
  'auth.resetPassword': at('user.resetPasswordByLink', async () => {
    const u = await fresh('reset');
    const { token } = await admin().users.passwordResetLink({ id: u.id });
    return { call: () => as().auth.resetPassword({ token, password: 'a new long password' }), target: u.id };
  }),
  'auth.signIn': at('auth.signIn', async () => {
    const u = await fresh('signin');
    return { call: () => as().auth.signIn({ email: u.email, password: u.password }), target: u.id };
  }),
  'auth.signOut': at('auth.signOut', async () => {
    const u = await fresh('signout');
    return { call: () => as(u.jar).auth.signOut(), target: u.id };
  }),
  'admin.users.create': at('user.create', async () => ({
    call: () => admin().users.create({ email: 'made@example.com', name: 'Made', role: 'user', password: 'made-password-1', mustChangePassword: false }),
  })),
  'admin.users.update': at('user.update', async () => {
    const u = await fresh('update');
    return { call: () => admin().users.update({ id: u.id, name: 'Renamed' }), target: u.id };
  }),
  'admin.users.resetPassword': at('user.resetPassword', async () => {
    const u = await fresh('reset-pw');
    return { call: () => admin().users.resetPassword({ id: u.id }), target: u.id };
  }),
  'admin.users.suspend': at('user.suspend', async () => {
    const u = await fresh('suspend');
    return { call: () => admin().users.suspend({ id: u.id, reason: 'audit test' }), target: u.id };
  }),
  'admin.users.unsuspend': at('user.unsuspend', async () => {
    const u = await fresh('unsuspend');
    await admin().users.suspend({ id: u.id, reason: 'audit test' });
    return { call: () => admin().users.unsuspend({ id: u.id }), target: u.id };
  }),
  'admin.users.revokeSession': at('user.revokeSession', async () => {
    const u = await fresh('revoke-one');
    const [s] = await admin().users.sessions({ id: u.id });
    return { call: () => admin().users.revokeSession({ sessionId: s!.id }), target: u.id };
  }),
  'admin.users.revokeAllSessions': at('user.revokeSessions', async () => {
    const u = await fresh('revoke-all');
    return { call: () => admin().users.revokeAllSessions({ id: u.id }), target: u.id };
  }),
  'admin.users.transferOwnership': at('owner.transfer', async () => {
    const u = await makeUser(api, owner, { email: 'heir@example.com', role: 'admin' });
    return { call: () => admin().users.transferOwnership({ id: u.id, password: OWNER.password }), target: u.id };
  }),
  'admin.users.delete': at('user.delete', async () => {
    const u = await fresh('delete');
    return { call: () => admin().users.delete({ id: u.id }), target: u.id };
  }),
  'admin.users.restore': at('user.restore', async () => {
    const u = await fresh('restore');
    await admin().users.delete({ id: u.id });
    return { call: () => admin().users.restore({ id: u.id }), target: u.id };
  }),
  'admin.users.purgeNow': at('user.purgeNow', async () => {
    const u = await fresh('purge');
    await admin().users.delete({ id: u.id });
    return { call: () => admin().users.purgeNow({ id: u.id }), target: u.id };
  }),
  'admin.users.invite': at('invitation.create', async () => ({ call: () => admin().users.invite({ email: 'vic@example.com', role: 'user' }) })),
  'admin.users.revokeInvitation': at('invitation.revoke', async () => {
    const { invitation } = await admin().users.invite({ email: 'rev@example.com', role: 'user' });
    return { call: () => admin().users.revokeInvitation({ id: invitation.id }) };
  }),
  'admin.users.resendInvitation': at('invitation.resend', async () => {
    const { invitation } = await admin().users.invite({ email: 'res@example.com', role: 'user' });
    return { call: () => admin().users.resendInvitation({ id: invitation.id }) };
  }),
  'admin.users.passwordResetLink': at('user.resetLink', async () => {
    const u = await fresh('link');
    return { call: () => admin().users.passwordResetLink({ id: u.id }), target: u.id };
  }),
  'admin.groups.create': at('group.create', async () => ({ call: () => group('Made') })),
  'admin.groups.update': at('group.update', async () => {
    const g = await group('Upd');
    return { call: () => admin().groups.update({ id: g.id, name: `Updated ${g.id}` }), target: g.id };
  }),
  'admin.groups.delete': at('group.delete', async () => {
    const g = await group('Del');
    return { call: () => admin().groups.delete({ id: g.id }), target: g.id };
  }),
  'admin.groups.addMembers': at('group.members.add', async () => {
    const [g, u] = [await group('Add'), await fresh('member')];
    return { call: () => admin().groups.addMembers({ groupId: g.id, userIds: [u.id] }), target: g.id };
  }),
  'admin.groups.removeMembers': at('group.members.remove', async () => {
    const [g, u] = [await group('Rem'), await fresh('member')];
    await admin().groups.addMembers({ groupId: g.id, userIds: [u.id] });
    return { call: () => admin().groups.removeMembers({ groupId: g.id, userIds: [u.id] }), target: g.id };
  }),
  'admin.groups.setManagers': at('group.managers.set', async () => {
    const [g, u] = [await group('Mgr'), await fresh('manager')];
    await admin().groups.addMembers({ groupId: g.id, userIds: [u.id] });
    return { call: () => admin().groups.setManagers({ groupId: g.id, userIds: [u.id] }), target: g.id };
  }),
  'admin.permissions.setDefault': at('permissions.default.set', async () => ({
    call: () => admin().permissions.setDefault({ permissions: { 'files.upload': true, 'files.download': true } }),
  })),
  'admin.settings.update': at('settings.update', async () => ({ call: () => admin().settings.update({ passwordMinLength: 10 }) })),
  'admin.jobs.run': at('jobs.run', async () => ({ call: () => admin().jobs.run({ name: 'recalculate-usage' }) })),
  'admin.security.holds.release': at('security.releaseHold', async () => {
    await admin().settings.update({ lockoutFailures: 1 });
    for (const _ of [1, 2]) await as().auth.signIn({ email: 'held@example.com', password: 'wrong' }).catch(() => undefined);
    await admin().settings.update({ lockoutFailures: 10 });
    return { call: () => admin().security.holds.release({ kind: 'account', key: 'held@example.com' }) };
  }),
  'me.update': at('me.update', async () => {
    const u = await fresh('me');
    return { call: () => as(u.jar).me.update({ name: 'Me Renamed' }), target: u.id };
  }),
  'me.changePassword': at('user.changePassword', async () => {
    const u = await fresh('me-pw');
    return { call: () => as(u.jar).me.changePassword({ current: u.password, next: 'another long password' }), target: u.id };
  }),
  'me.settings.update': at('me.settings.update', async () => {
    const u = await fresh('me-settings');
    return { call: () => as(u.jar).me.settings.update({ theme: 'dark' }), target: u.id };
  }),
  'me.status.update': at('me.status.update', async () => {
    const u = await fresh('me-status');
    return { call: () => as(u.jar).me.status.update({ emoji: '🙂', message: 'in a meeting' }), target: u.id };
  }),
  'me.info.update': at('me.info.update', async () => {
    const u = await fresh('me-info');
    return { call: () => as(u.jar).me.info.update({ team: 'ops' }), target: u.id };
  }),
  'me.sessions.revoke': at('me.sessions.revoke', async () => {
    const u = await fresh('me-sessions');
    const other = await signIn(api, u.email, u.password);
    const sessions = await as(u.jar).me.sessions.list();
    const target = sessions.find((s) => !s.current)!;
    expect(other.cookies.size).toBe(1);
    return { call: () => as(u.jar).me.sessions.revoke({ sessionId: target.id }), target: u.id };
  }),
  'files.delete': at('file.delete', async () => {
    const u = await fresh('files');
    const f = await uploadFile(coreDeps(), await actorOf(u.id), { name: 'a.txt', size: 3, mimeType: 'text/plain', body: chunks('abc') });
    return { call: () => as(u.jar).files.delete({ id: f.id }), target: u.id };
  }),
  'groups.addMembers': at('group.members.add', async () => {
    const [g, mgr, u] = [await group('Deleg'), await fresh('mgr'), await fresh('member')];
    await admin().groups.addMembers({ groupId: g.id, userIds: [mgr.id] });
    await admin().groups.setManagers({ groupId: g.id, userIds: [mgr.id] });
    return { call: () => as(mgr.jar).groups.addMembers({ groupId: g.id, userIds: [u.id] }), target: g.id };
  }),
  'groups.removeMembers': at('group.members.remove', async () => {
    const [g, mgr, u] = [await group('Deleg'), await fresh('mgr'), await fresh('member')];
    await admin().groups.addMembers({ groupId: g.id, userIds: [mgr.id] });
    await admin().groups.setManagers({ groupId: g.id, userIds: [mgr.id] });
    await admin().groups.addMembers({ groupId: g.id, userIds: [u.id] });
    return { call: () => as(mgr.jar).groups.removeMembers({ groupId: g.id, userIds: [u.id] }), target: g.id };
  }),
  'admin.users.bulk': at('user.bulk', async () => {
    const u = await fresh('bulk');
    return { call: () => admin().users.bulk({ ids: [u.id], action: 'revokeSessions', args: {} }) };
  }),
  'me.apiKeys.create': at('apiKey.create', async () => {
    const u = await fresh('key');
    return { call: () => as(u.jar).me.apiKeys.create({ name: 'ci', scopes: ['me'] }), target: u.id };
  }),
  'me.apiKeys.revoke': at('apiKey.revoke', async () => {
    const u = await fresh('key-revoke');
    const k = await as(u.jar).me.apiKeys.create({ name: 'ci', scopes: ['me'] });
    return { call: () => as(u.jar).me.apiKeys.revoke({ id: k.id }), target: u.id };
  }),
  'admin.serviceAccounts.create': at('user.create', async () => ({ call: () => admin().serviceAccounts.create({ name: `Service ${++n}` }) })),
  'admin.apiKeys.create': at('apiKey.create', async () => {
    const sa = await admin().serviceAccounts.create({ name: `Service ${++n}` });
    return { call: () => admin().apiKeys.create({ userId: sa.id, name: 'svc', scopes: ['user:list'] }), target: sa.id };
  }),
  'admin.apiKeys.revoke': at('apiKey.revoke', async () => {
    const sa = await admin().serviceAccounts.create({ name: `Service ${++n}` });
    const k = await admin().apiKeys.create({ userId: sa.id, name: 'svc', scopes: ['user:list'] });
    return { call: () => admin().apiKeys.revoke({ id: k.id }), target: sa.id };
  }),
  'admin.webhooks.create': at('webhook.create', async () => ({ call: () => hook() })),
  'admin.webhooks.update': at('webhook.update', async () => {
    const w = await hook();
    return { call: () => admin().webhooks.update({ id: w.id, enabled: false }) };
  }),
  'admin.webhooks.delete': at('webhook.delete', async () => {
    const w = await hook();
    return { call: () => admin().webhooks.delete({ id: w.id }) };
  }),
  'admin.webhooks.test': at('webhook.test', async () => {
    const w = await hook();
    return { call: () => admin().webhooks.test({ id: w.id }) };
  }),
  'admin.webhooks.replay': at('webhook.replay', async () => {
    const d = await admin().webhooks.test({ id: (await hook()).id });
    return { call: () => admin().webhooks.replay({ deliveryId: d.id }) };
  }),
};

const coreDeps = (): CoreDeps => ({ em: db(api), clock: api.services.clock, sessions: api.services.sessions, jobs: api.services.jobs, dataDir: api.services.dataDir });
async function actorOf(id: string): Promise<Actor> {
  const u = await db(api).findOneOrFail(User, id);
  return { id: u.id, email: u.email, name: u.name, role: u.role, status: u.status, mustChangePassword: u.mustChangePassword };
}
async function* chunks(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}
const lastId = async () => Number((await db(api).execute<{ id: string }[]>(`select coalesce(max(id), 0)::text as id from audit_log`))[0]!.id);

beforeAll(async () => {
  api = await createTestApi();
  owner = new TestJar();
}, 60_000);
afterAll(() => api?.close());

describe('audit completeness (generated from the router)', () => {
  it('every mutation has a case here or a reason to write none', () => {
    expect(MUTATIONS.filter((m) => !CASES[m] && !WRITES_NONE[m])).toEqual([]);
    expect(Object.keys(CASES).filter((m) => !MUTATIONS.includes(m))).toEqual([]);
  });

  for (const path of MUTATIONS.filter((m) => !WRITES_NONE[m])) {
    it(`${path} writes ${CASES[path]?.action ?? 'an event'} with the caller's address and user agent`, async () => {
      const c = CASES[path]!;
      const { call, target } = await c.prepare();
      const since = await lastId();
      await call();
      const rows = await db(api).execute<{ action: string; target_id: string | null; ip: string | null; user_agent: string | null }[]>(
        `select action, target_id, ip, user_agent from audit_log where id > ? and action = ?`,
        [since, c.action],
      );
      expect(rows, `no ${c.action} event`).toHaveLength(1);
      expect(rows[0]).toMatchObject({ ip: '127.0.0.1', user_agent: UA, ...(target ? { target_id: target } : {}) });
    });
  }
});
