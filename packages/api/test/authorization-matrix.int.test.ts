/**
 * Every procedure of the router × every kind of caller: allowed, or the
 * exact denial. Procedures come from `appRouter._def.procedures`, so a new
 * one without an entry in authorization-matrix.entries.ts fails here by name; each entry is also checked
 * against the procedure's own `meta` and the role → scope table in core.
 */
import { TRPCError } from '@trpc/server';
import { hashPassword } from '@roster/auth';
import { ERROR_CODES, hasScope } from '@roster/core';
import { appRouter, type Meta } from '@roster/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, OWNER, sessionRowId, TestJar, withOwner, type TestApi } from '@roster/test/support/api';
import { MATRIX, type Entry, type Role } from './authorization-matrix.entries.ts';

const CALLERS = ['anonymous', 'pending', 'mustChange', 'user', 'admin', 'owner'] as const;
type Caller = (typeof CALLERS)[number];
/** The account behind each signed-in caller: role and whether a password change is pending. */
const ACCOUNTS: Record<Exclude<Caller, 'anonymous' | 'owner'>, { role: Exclude<Role, 'owner'>; mustChangePassword: boolean }> = {
  pending: { role: 'pending', mustChangePassword: false },
  mustChange: { role: 'user', mustChangePassword: true },
  user: { role: 'user', mustChangePassword: false },
  admin: { role: 'admin', mustChangePassword: false },
};
const roleOf = (c: Exclude<Caller, 'anonymous'>): Role => (c === 'owner' ? 'owner' : ACCOUNTS[c].role);

const DENIALS = {
  UNAUTHENTICATED: 'UNAUTHORIZED',
  PENDING_APPROVAL: 'FORBIDDEN',
  PASSWORD_CHANGE_REQUIRED: 'FORBIDDEN',
  FORBIDDEN: 'FORBIDDEN',
} as const;
type Denial = keyof typeof DENIALS;
type Outcome = 'allowed' | `${(typeof DENIALS)[Denial]}/${Denial}`;
const denied = (code: Denial): Outcome => `${DENIALS[code]}/${code}`;

/** The gates in the order procedures.ts applies them: signed in, approved, password changed, scope. */
function expectedOutcome(entry: Entry, caller: Caller): Outcome {
  if (entry.access === 'public') return 'allowed';
  if (caller === 'anonymous') return denied('UNAUTHENTICATED');
  if (caller === 'pending' && !entry.allowPending) return denied('PENDING_APPROVAL');
  if (caller === 'mustChange' && !entry.allowMustChange) return denied('PASSWORD_CHANGE_REQUIRED');
  if (typeof entry.access === 'object' && !entry.access.roles.includes(roleOf(caller))) return denied('FORBIDDEN');
  return 'allowed';
}

/**
 * Only the four authorization denials, with their catalogue message, count as
 * denied. Anything else (success, BAD_REQUEST for the dummy input, NOT_FOUND,
 * a domain rule) means the call got past authorization.
 */
async function outcomeOf(call: () => Promise<unknown>): Promise<{ outcome: Outcome; detail: string }> {
  try {
    await call();
    return { outcome: 'allowed', detail: 'ok' };
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    const appCode = (err.cause as { code?: string } | undefined)?.code;
    const detail = `${err.code}/${appCode ?? '-'}: ${err.message}`;
    if (err.code === 'INTERNAL_SERVER_ERROR') return { outcome: 'allowed', detail: `INTERNAL ${detail}` };
    for (const code of Object.keys(DENIALS) as Denial[]) {
      if (err.code === DENIALS[code] && appCode === code && err.message === ERROR_CODES[code]) return { outcome: denied(code), detail };
    }
    return { outcome: 'allowed', detail };
  }
}

type ProcedureDef = { _def: { type: string; meta?: Meta } };
const procedures = (appRouter as unknown as { _def: { procedures: Record<string, ProcedureDef> } })._def.procedures;
const paths = Object.keys(procedures).sort();

let api: TestApi;
const jars = {} as Record<Exclude<Caller, 'anonymous'>, TestJar>;
const ids = {} as Record<Exclude<Caller, 'anonymous'>, string>;
const PASSWORD = 'matrix password 1';

const emailOf = (caller: Exclude<Caller, 'anonymous'>) => (caller === 'owner' ? OWNER.email : `${caller.toLowerCase()}@example.com`);

async function signIn(caller: Exclude<Caller, 'anonymous'>): Promise<void> {
  jars[caller] = new TestJar();
  await api.as(jars[caller]).auth.signIn({ email: emailOf(caller), password: PASSWORD });
}

/**
 * A procedure that got through may have changed its caller (signed out,
 * changed a setting of the account): put the account back as the matrix
 * needs it, and sign in again if the session is gone.
 */
async function restore(caller: Exclude<Caller, 'anonymous'>): Promise<void> {
  const em = api.services.orm.em.fork();
  const want = caller === 'owner' ? { role: 'owner', mustChangePassword: false } : ACCOUNTS[caller];
  const [row] = await em.execute<{ role: string; must_change_password: boolean; status: string; has_session: boolean }[]>(
    `select role, must_change_password, status,
            exists(select 1 from sessions s where s.id = ? and s.user_id = u.id and s.expires_at > now()) as has_session
       from users u where id = ?`,
    [await sessionRowId(jars[caller].get('roster_session')), ids[caller]],
  );
  if (row!.role !== want.role || row!.must_change_password !== want.mustChangePassword || row!.status !== 'active') {
    await em.execute(
      `update users set role = ?, must_change_password = ?, status = 'active', suspended_reason = null, suspended_until = null,
              deleted_at = null, purge_at = null, password_hash = ? where id = ?`,
      [want.role, want.mustChangePassword, await hashPassword(PASSWORD), ids[caller]],
    );
  }
  if (!row!.has_session) await signIn(caller);
}

beforeAll(async () => {
  api = await createTestApi();
  jars.owner = await withOwner(api);
  ids.owner = (await api.as(jars.owner).auth.me()).id;
  // One password for every account, so restore() can sign anyone in again.
  await api.services.orm.em.fork().execute(`update users set password_hash = ? where id = ?`, [await hashPassword(PASSWORD), ids.owner]);
  await signIn('owner');
  for (const caller of Object.keys(ACCOUNTS) as (keyof typeof ACCOUNTS)[]) {
    const { user } = await api.as(jars.owner).admin.users.create({
      email: emailOf(caller),
      name: `Matrix ${caller}`,
      role: ACCOUNTS[caller].role,
      password: PASSWORD,
      mustChangePassword: ACCOUNTS[caller].mustChangePassword,
    });
    ids[caller] = user.id;
    await signIn(caller);
  }
});
afterAll(() => api?.close());

describe('authorization matrix', () => {
  it('has callers that really are who they claim', async () => {
    for (const caller of Object.keys(ACCOUNTS) as (keyof typeof ACCOUNTS)[]) {
      const me = await api.as(jars[caller]).auth.me();
      expect({ role: me.role, mustChangePassword: me.mustChangePassword }).toEqual(ACCOUNTS[caller]);
    }
    expect((await api.as(jars.owner).auth.me()).role).toBe('owner');
    await expect(api.as().auth.me()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('names no procedure that the router lacks', () => {
    const stale = Object.keys(MATRIX).filter((p) => !(p in procedures));
    expect(stale, `matrix entries without a procedure (renamed or removed?): ${stale.join(', ')}`).toEqual([]);
  });

  it('agrees with the role → scope table in core', () => {
    for (const [path, entry] of Object.entries(MATRIX)) {
      if (typeof entry.access !== 'object') continue;
      for (const role of ['owner', 'admin', 'user', 'pending'] as const) {
        expect(hasScope({ role }, entry.access.scope), `${path}: ${role} and scope ${entry.access.scope}`).toBe(
          entry.access.roles.includes(role),
        );
        // A role that may call the procedure holds every field scope it declares, or the field would be dead for it.
        for (const scope of Object.values(entry.fieldScopes ?? {}))
          if (entry.access.roles.includes(role)) expect(hasScope({ role }, scope), `${path}: ${role} and field scope ${scope}`).toBe(true);
      }
    }
  });

  it.each(paths)('%s', async (path) => {
    const entry = MATRIX[path];
    if (!entry) {
      expect.fail(
        `procedure ${path} has no entry in the authorization matrix (packages/api/test/authorization-matrix.int.test.ts): ` +
          `add one saying who may call it`,
      );
    }
    const meta = procedures[path]!._def.meta;
    const declared = typeof entry.access === 'object' ? { scope: entry.access.scope } : entry.access;
    expect(
      {
        access: meta?.access,
        allowPending: meta?.allowPending ?? false,
        allowMustChange: meta?.allowMustChange ?? false,
        fieldScopes: meta?.fieldScopes,
        noApiKey: meta?.noApiKey ?? false,
      },
      `${path}: the procedure's meta differs from its matrix entry`,
    ).toEqual({
      access: declared,
      allowPending: entry.allowPending ?? false,
      allowMustChange: entry.allowMustChange ?? false,
      fieldScopes: entry.fieldScopes,
      noApiKey: entry.noApiKey ?? false,
    });

    const expected: Record<string, Outcome> = {};
    const actual: Record<string, Outcome> = {};
    const details: string[] = [];
    for (const caller of CALLERS) {
      const caller$ = api.as(caller === 'anonymous' ? new TestJar() : jars[caller]);
      const fn = path.split('.').reduce<any>((node, key) => node[key], caller$) as (input: unknown) => Promise<unknown>;
      const { outcome, detail } = await outcomeOf(() => fn(entry.input));
      expected[caller] = expectedOutcome(entry, caller);
      actual[caller] = outcome;
      details.push(`${caller}: ${detail}`);
      expect(detail, `${path} as ${caller} failed inside the procedure`).not.toMatch(/^INTERNAL/);
      if (caller !== 'anonymous') await restore(caller);
    }
    expect(actual, `${path}\n  ${details.join('\n  ')}`).toEqual(expected);
  });
});
