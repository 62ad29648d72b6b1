/**
 * The authorization matrix proves the gates (who may call what); this proves
 * the objects: every procedure that names a user, file, session,
 * notification or invitation, called by an admin on the owner, by an admin
 * on another admin (adminsCanCreateAdmins off, then on), and by a user on
 * another user's things, answers with the exact code — and a refused call
 * changes nothing. The procedures are found from the router's input schemas,
 * so a new one that takes an id fails here until it has a case.
 */
import { TRPCError } from '@trpc/server';
import { appRouter } from '@roster/api';
import { uploadFile, type Actor, type CoreDeps } from '@roster/core';
import { User, type EntityManager } from '@roster/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApi, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';
import { makeUser } from './admin-users.support.ts';

/** Input keys that name an object someone owns. */
const OBJECT_KEYS = ['id', 'ids', 'userId', 'sessionId', 'transferToUserId'];

type Who = 'owner' | 'adminA' | 'adminB' | 'userU' | 'userV';
type Fixture = {
  id: Record<Who, string>;
  jar: Record<Who, TestJar>;
  file: Record<'owner' | 'adminB' | 'userV', string>;
  session: Record<'owner' | 'adminB' | 'userV', string>;
  notificationV: string;
  adminInvitation: string;
  /** One API key each (issue 13). */
  key: Record<'owner' | 'adminB' | 'userV', string>;
};
type Case = { as: Who; path: string; input: (f: Fixture) => unknown; expect: string };

let api: TestApi;
const fx = {} as Fixture;

const em = () => api.services.orm.em.fork() as EntityManager;
const deps = (): CoreDeps => ({ em: em(), clock: api.services.clock, sessions: api.services.sessions, jobs: api.services.jobs, dataDir: api.services.dataDir });
const body = (n: number) => (async function* () { yield Buffer.alloc(n, 0x61); })();
async function actorOf(id: string): Promise<Actor> {
  const u = await em().findOneOrFail(User, id);
  return { id: u.id, email: u.email, name: u.name, role: u.role, status: u.status, mustChangePassword: u.mustChangePassword };
}

/** `ok`, or `TRPC_CODE/appCode` as a client sees it. */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    const cause = err.cause as { code?: string } | undefined;
    return `${err.code}/${cause instanceof z.ZodError ? 'VALIDATION' : (cause?.code ?? '-')}`;
  }
}

const call = (who: Who, path: string, input: unknown) => {
  const fn = path.split('.').reduce<any>((node, key) => node[key], api.as(fx.jar[who])) as (i: unknown) => Promise<unknown>;
  return fn(input);
};

type Row = [path: string, input: (f: Fixture) => unknown, expect: string];
const cases = (as: Who, rows: Row[]): Case[] => rows.map(([path, input, expect]) => ({ as, path, input, expect }));

const OWNER_PROTECTED = 'FORBIDDEN/OWNER_PROTECTED';
const ADMIN_PROTECTED = 'FORBIDDEN/ADMIN_PROTECTED';
const FORBIDDEN = 'FORBIDDEN/FORBIDDEN';
const NOT_FOUND = 'NOT_FOUND/NOT_FOUND';

/** Admin A on the owner: nothing but the row itself (get; the owner's usage stays in stats). */
const ADMIN_ON_OWNER: Case[] = cases('adminA', [
  ['admin.users.get', (f) => ({ id: f.id.owner }), 'ok'],
  ['admin.users.update', (f) => ({ id: f.id.owner, quotaGiB: 0.000001 }), OWNER_PROTECTED],
  ['admin.users.update', (f) => ({ id: f.id.owner, name: 'Renamed by an admin' }), OWNER_PROTECTED],
  ['admin.users.update', (f) => ({ id: f.id.owner, avatarUrl: 'https://example.com/x.png' }), OWNER_PROTECTED],
  ['admin.users.update', (f) => ({ id: f.id.owner, storageLabel: 'taken' }), OWNER_PROTECTED],
  ['admin.users.update', (f) => ({ id: f.id.owner, role: 'user' }), OWNER_PROTECTED],
  ['admin.users.resetPassword', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.passwordResetLink', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.suspend', (f) => ({ id: f.id.owner, reason: 'coup' }), OWNER_PROTECTED],
  ['admin.users.unsuspend', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.sessions', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.revokeSession', (f) => ({ sessionId: f.session.owner }), OWNER_PROTECTED],
  ['admin.users.revokeAllSessions', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.delete', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.delete', (f) => ({ id: f.id.owner, immediate: true }), OWNER_PROTECTED],
  ['admin.users.restore', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.purgeNow', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.deletionPreview', (f) => ({ id: f.id.owner }), OWNER_PROTECTED],
  ['admin.users.transferOwnership', (f) => ({ id: f.id.owner, password: 'x' }), FORBIDDEN],
  ['files.list', (f) => ({ page: 1, pageSize: 10, userId: f.id.owner }), OWNER_PROTECTED],
  ['files.usage', (f) => ({ userId: f.id.owner }), OWNER_PROTECTED],
  // By file id the owner's files are as absent as anyone's are to a user: ids do not leak.
  ['files.get', (f) => ({ id: f.file.owner }), NOT_FOUND],
  ['files.delete', (f) => ({ id: f.file.owner }), NOT_FOUND],
  ['admin.notifications.list', (f) => ({ page: 1, pageSize: 10, userId: f.id.owner }), 'ok'],
  // Groups and permissions: reading anyone's is an admin's job (the owner's are all true anyway); a user id is no group id.
  ['admin.users.groups', (f) => ({ id: f.id.owner }), 'ok'],
  ['admin.users.permissions', (f) => ({ id: f.id.owner }), 'ok'],
  ['permissions.check', (f) => ({ userId: f.id.owner, keys: ['files.upload'] }), 'ok'],
  ['admin.groups.get', (f) => ({ id: f.id.owner }), 'NOT_FOUND/GROUP_NOT_FOUND'],
  ['admin.groups.update', (f) => ({ id: f.id.owner, name: 'Taken over' }), 'NOT_FOUND/GROUP_NOT_FOUND'],
  ['admin.groups.delete', (f) => ({ id: f.id.owner }), 'NOT_FOUND/GROUP_NOT_FOUND'],
  // API keys: the owner's are not even listed to an admin; admins create keys for service accounts only.
  ['admin.apiKeys.list', (f) => ({ userId: f.id.owner }), 'ok'],
  ['admin.apiKeys.create', (f) => ({ userId: f.id.owner, name: 'planted', scopes: ['me'] }), FORBIDDEN],
  ['admin.apiKeys.revoke', (f) => ({ id: f.key.owner }), NOT_FOUND],
  // Webhooks: a user id is no endpoint id.
  ['admin.webhooks.update', (f) => ({ id: f.id.owner, enabled: false }), 'NOT_FOUND/WEBHOOK_NOT_FOUND'],
  ['admin.webhooks.delete', (f) => ({ id: f.id.owner }), 'NOT_FOUND/WEBHOOK_NOT_FOUND'],
  ['admin.webhooks.deliveries', (f) => ({ id: f.id.owner, page: 1, pageSize: 10 }), 'NOT_FOUND/WEBHOOK_NOT_FOUND'],
  ['admin.webhooks.test', (f) => ({ id: f.id.owner }), 'NOT_FOUND/WEBHOOK_NOT_FOUND'],
]);

/** Admin A on admin B with adminsCanCreateAdmins off: profile and files yes; credentials, role, sessions, suspension, deletion no. */
const ADMIN_ON_ADMIN: Case[] = cases('adminA', [
  ['admin.users.get', (f) => ({ id: f.id.adminB }), 'ok'],
  ['admin.users.update', (f) => ({ id: f.id.adminB, name: 'adminB' }), 'ok'],
  ['admin.users.update', (f) => ({ id: f.id.adminB, role: 'user' }), ADMIN_PROTECTED],
  ['admin.users.update', (f) => ({ id: f.id.adminB, email: 'taken-over@example.com' }), ADMIN_PROTECTED],
  ['admin.users.update', (f) => ({ id: f.id.adminB, mustChangePassword: true }), ADMIN_PROTECTED],
  ['admin.users.resetPassword', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.passwordResetLink', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.suspend', (f) => ({ id: f.id.adminB, reason: 'coup' }), ADMIN_PROTECTED],
  ['admin.users.unsuspend', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.sessions', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.revokeSession', (f) => ({ sessionId: f.session.adminB }), ADMIN_PROTECTED],
  ['admin.users.revokeAllSessions', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.delete', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.delete', (f) => ({ id: f.id.adminB, immediate: true }), ADMIN_PROTECTED],
  ['admin.users.restore', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.purgeNow', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['admin.users.deletionPreview', (f) => ({ id: f.id.adminB }), ADMIN_PROTECTED],
  ['files.list', (f) => ({ page: 1, pageSize: 10, userId: f.id.adminB }), 'ok'],
  ['files.get', (f) => ({ id: f.file.adminB }), 'ok'],
  ['files.usage', (f) => ({ userId: f.id.adminB }), 'ok'],
  // An admin invitation is the owner's to resend while admins may not create admins; revoking one is not granting.
  ['admin.users.resendInvitation', (f) => ({ id: f.adminInvitation }), FORBIDDEN],
  ['admin.apiKeys.list', (f) => ({ userId: f.id.adminB }), 'ok'],
  ['admin.apiKeys.create', (f) => ({ userId: f.id.adminB, name: 'planted', scopes: ['me'] }), FORBIDDEN],
  ['admin.apiKeys.revoke', (f) => ({ id: f.key.adminB }), ADMIN_PROTECTED],
]);

/** User U on user V's things: the scope gate, or NOT_FOUND for objects addressed by their own id. */
const USER_ON_USER: Case[] = cases('userU', [
  ['files.get', (f) => ({ id: f.file.userV }), NOT_FOUND],
  ['files.delete', (f) => ({ id: f.file.userV }), NOT_FOUND],
  ['files.list', (f) => ({ page: 1, pageSize: 10, userId: f.id.userV }), FORBIDDEN],
  ['files.usage', (f) => ({ userId: f.id.userV }), FORBIDDEN],
  ['me.sessions.revoke', (f) => ({ sessionId: f.session.userV }), NOT_FOUND],
  // Marking someone else's notification read is a no-op (checked below: it stays unread).
  ['notifications.markRead', (f) => ({ ids: [f.notificationV] }), 'ok'],
  ['admin.users.get', (f) => ({ id: f.id.userV }), FORBIDDEN],
  ['admin.users.sessions', (f) => ({ id: f.id.userV }), FORBIDDEN],
  ['admin.notifications.list', (f) => ({ page: 1, pageSize: 10, userId: f.id.userV }), FORBIDDEN],
  ['admin.users.revokeInvitation', (f) => ({ id: f.adminInvitation }), FORBIDDEN],
  ['admin.users.groups', (f) => ({ id: f.id.userV }), FORBIDDEN],
  ['admin.users.permissions', (f) => ({ id: f.id.userV }), FORBIDDEN],
  ['permissions.check', (f) => ({ userId: f.id.userV, keys: [] }), FORBIDDEN],
  ['admin.groups.get', (f) => ({ id: f.id.userV }), FORBIDDEN],
  ['admin.groups.update', (f) => ({ id: f.id.userV, name: 'Mine now' }), FORBIDDEN],
  ['admin.groups.delete', (f) => ({ id: f.id.userV }), FORBIDDEN],
  ['me.apiKeys.revoke', (f) => ({ id: f.key.userV }), 'NOT_FOUND/NOT_FOUND'],
  ['admin.apiKeys.list', (f) => ({ userId: f.id.userV }), FORBIDDEN],
  ['admin.apiKeys.create', (f) => ({ userId: f.id.userV, name: 'planted', scopes: ['me'] }), FORBIDDEN],
  ['admin.apiKeys.revoke', (f) => ({ id: f.key.userV }), FORBIDDEN],
  ['admin.webhooks.update', (f) => ({ id: f.id.userV, enabled: false }), FORBIDDEN],
  ['admin.webhooks.delete', (f) => ({ id: f.id.userV }), FORBIDDEN],
  ['admin.webhooks.deliveries', (f) => ({ id: f.id.userV, page: 1, pageSize: 10 }), FORBIDDEN],
  ['admin.webhooks.test', (f) => ({ id: f.id.userV }), FORBIDDEN],
  // Jobs (a bulk action's progress and results) are an admin's to read, whoever started them.
  ['admin.jobs.get', () => ({ id: 'users.bulk.any' }), FORBIDDEN],
]);

/** Procedures whose input names an object, from the router itself. */
function objectProcedures(): string[] {
  type Def = { _def: { inputs?: unknown[] } };
  const procedures = (appRouter as unknown as { _def: { procedures: Record<string, Def> } })._def.procedures;
  const keysOf = (schema: unknown): string[] => {
    let s = schema as { def?: { type?: string; innerType?: unknown; shape?: Record<string, unknown> }; shape?: Record<string, unknown> };
    while (s?.def?.innerType) s = s.def.innerType as typeof s;
    return Object.keys(s?.shape ?? {});
  };
  return Object.keys(procedures)
    .filter((p) => (procedures[p]!._def.inputs ?? []).some((i) => keysOf(i).some((k) => OBJECT_KEYS.includes(k))))
    .sort();
}

async function state() {
  const users = await em().execute(
    `select id, name, email, role, status, password_hash, quota_bytes, storage_label, avatar_url, must_change_password, deleted_at
       from users where id in (?, ?, ?) order by id`,
    [fx.id.owner, fx.id.adminB, fx.id.userV],
  );
  const [counts] = await em().execute(
    `select (select count(*)::int from sessions where user_id in (?, ?, ?)) as sessions,
            (select count(*)::int from files) as files,
            (select count(*)::int from password_reset_tokens) as reset_links,
            (select count(*)::int from notifications where read_at is null) as unread,
            (select count(*)::int from invitations where revoked_at is null) as open_invitations,
            (select count(*)::int from api_keys where revoked_at is null) as live_api_keys`,
    [fx.id.owner, fx.id.adminB, fx.id.userV],
  );
  return { users, counts };
}

beforeAll(async () => {
  api = await createTestApi();
  fx.jar = {} as Fixture['jar'];
  fx.id = {} as Fixture['id'];
  fx.jar.owner = await withOwner(api);
  fx.id.owner = (await api.as(fx.jar.owner).auth.me()).id;
  for (const [who, role] of [['adminA', 'admin'], ['adminB', 'admin'], ['userU', 'user'], ['userV', 'user']] as const) {
    const u = await makeUser(api, fx.jar.owner, { email: `${who.toLowerCase()}@example.com`, name: who, role });
    fx.id[who] = u.id;
    fx.jar[who] = u.jar;
  }
  fx.file = {} as Fixture['file'];
  fx.session = {} as Fixture['session'];
  for (const who of ['owner', 'adminB', 'userV'] as const) {
    fx.file[who] = (await uploadFile(deps(), await actorOf(fx.id[who]), { name: `${who}.txt`, size: 3, body: body(3) })).id;
    // Public session ids as their holder sees them (the raw token never leaves the server).
    fx.session[who] = (await api.as(fx.jar[who]).me.sessions.list())[0]!.id;
  }
  const [n] = await em().execute<{ id: string }[]>(
    `insert into notifications (id, user_id, kind, message, data) values (gen_random_uuid(), ?, 'test.note', 'For V only', '{}') returning id`,
    [fx.id.userV],
  );
  fx.notificationV = n!.id;
  fx.adminInvitation = (await api.as(fx.jar.owner).admin.users.invite({ email: 'future-admin@example.com', role: 'admin' })).invitation.id;
  fx.key = {} as Fixture['key'];
  for (const who of ['owner', 'adminB', 'userV'] as const) fx.key[who] = (await api.as(fx.jar[who]).me.apiKeys.create({ name: who, scopes: ['me'] })).id;
});
afterAll(() => api?.close());

describe('object-level authorization', () => {
  it('has a case for every procedure whose input names a user, file, session, notification or invitation', () => {
    const covered = new Set([...ADMIN_ON_OWNER, ...ADMIN_ON_ADMIN, ...USER_ON_USER].map((c) => c.path));
    const found = objectProcedures();
    expect(found.length).toBeGreaterThan(20);
    expect(found.filter((p) => !covered.has(p)), 'procedures that take an object id but have no object-level case').toEqual([]);
  });

  for (const [title, cases] of [
    ['admin A on the owner', ADMIN_ON_OWNER],
    ['admin A on admin B (adminsCanCreateAdmins off)', ADMIN_ON_ADMIN],
    ['user U on user V', USER_ON_USER],
  ] as const) {
    it(`${title}: exact answers, and the refused calls change nothing`, async () => {
      const before = await state();
      const got: Record<string, string> = {};
      const want: Record<string, string> = {};
      for (const [i, c] of cases.entries()) {
        const key = `${i} ${c.path} ${JSON.stringify(c.input(fx)).replace(/"[0-9a-f-]{36}"/g, '…')}`;
        want[key] = c.expect;
        got[key] = await outcome(call(c.as, c.path, c.input(fx)));
      }
      expect(got).toEqual(want);
      const after = await state();
      // Admin B's name was set to what it was (an allowed no-op); everything else is as it was.
      expect(after).toEqual(before);
    });
  }

  it('admin A on admin B with adminsCanCreateAdmins on: allowed; on the owner: still OWNER_PROTECTED', async () => {
    await api.as(fx.jar.owner).admin.settings.update({ adminsCanCreateAdmins: true });
    try {
      expect(await outcome(call('adminA', 'admin.users.sessions', { id: fx.id.adminB }))).toBe('ok');
      expect(await outcome(call('adminA', 'admin.users.deletionPreview', { id: fx.id.adminB }))).toBe('ok');
      expect(await outcome(call('adminA', 'admin.users.passwordResetLink', { id: fx.id.adminB }))).toBe('ok');
      expect(await outcome(call('adminA', 'admin.users.update', { id: fx.id.adminB, mustChangePassword: false }))).toBe('ok');
      for (const c of ADMIN_ON_OWNER.filter((x) => x.expect === OWNER_PROTECTED))
        expect(`${c.path}: ${await outcome(call('adminA', c.path, c.input(fx)))}`).toBe(`${c.path}: ${OWNER_PROTECTED}`);
    } finally {
      await api.as(fx.jar.owner).admin.settings.update({ adminsCanCreateAdmins: false });
    }
  });

  it('refuses uploading as the owner (`?as=`) before reading a byte', async () => {
    let read = false;
    const probe = (async function* () {
      read = true;
      yield Buffer.from('x');
    })();
    const err = await uploadFile(deps(), await actorOf(fx.id.adminA), { ownerId: fx.id.owner, name: 'planted.txt', size: 1, body: probe }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'OWNER_PROTECTED' });
    expect(read).toBe(false);
    // Another admin's files stay within files:manage.
    expect((await uploadFile(deps(), await actorOf(fx.id.adminA), { ownerId: fx.id.adminB, name: 'for-b.txt', size: 1, body: body(1) })).ownerId).toBe(
      fx.id.adminB,
    );
  });

  it('the owner acts on admins and sees their sessions', async () => {
    expect(await outcome(call('owner', 'admin.users.sessions', { id: fx.id.adminB }))).toBe('ok');
    expect(await outcome(call('owner', 'admin.users.deletionPreview', { id: fx.id.adminB }))).toBe('ok');
    expect(await outcome(call('owner', 'files.get', { id: fx.file.adminB }))).toBe('ok');
  });
});
