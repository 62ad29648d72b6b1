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
import { createTestApi, withOwner, type TestApi } from '@roster/test/support/api';
import { makeUser } from './admin-users.support.ts';
import { ADMIN_ON_ADMIN, ADMIN_ON_OWNER, OWNER_PROTECTED, USER_ON_USER, type Fixture, type Who } from './authorization-objects.cases.ts';

/** Input keys that name an object someone owns. */
const OBJECT_KEYS = ['id', 'ids', 'userId', 'sessionId', 'transferToUserId'];


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
