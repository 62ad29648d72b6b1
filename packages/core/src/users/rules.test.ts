import { describe, expect, it } from 'vitest';
import type { Actor } from '../deps.ts';
import { AppError } from '../errors.ts';
import { allowedActions, assertMayAct, assertMayGrantRole, USER_ACTIONS, type UserAction } from './rules.ts';

type Role = Actor['role'];
const actor = (id: string, role: Role): Actor => ({
  id,
  role,
  email: `${id}@example.com`,
  name: id,
  status: 'active',
  mustChangePassword: false,
});
const outcome = (fn: () => void): string => {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
};

const ACTIONS = USER_ACTIONS;
const OFF = { adminsCanCreateAdmins: false };
const ON = { adminsCanCreateAdmins: true };
const all = (v: string, except: Partial<Record<UserAction, string>> = {}) =>
  ({ ...Object.fromEntries(ACTIONS.map((x) => [x, v])), ...except }) as Record<UserAction, string>;

describe('assertMayAct', () => {
  const owner = actor('owner', 'owner');
  const admin = actor('admin', 'admin');
  const user = actor('user', 'user');
  const OWNER_TARGET = { id: 'owner', role: 'owner' } as const;
  type Case = { who: string; actor: Actor; target: { id: string; role: Role }; policy?: typeof OFF; expected: Record<UserAction, string> };
  const cases: Case[] = [
    {
      who: 'admin on the owner',
      actor: admin,
      target: OWNER_TARGET,
      expected: all('OWNER_PROTECTED'),
    },
    {
      who: 'admin on the owner, adminsCanCreateAdmins on',
      actor: admin,
      target: OWNER_TARGET,
      policy: ON,
      expected: all('OWNER_PROTECTED'),
    },
    {
      who: 'owner on themselves',
      actor: owner,
      target: OWNER_TARGET,
      expected: all('ok', { changeRole: 'OWNER_PROTECTED', suspend: 'SELF_ACTION', delete: 'SELF_ACTION' }),
    },
    {
      who: 'admin on themselves',
      actor: admin,
      target: { id: 'admin', role: 'admin' },
      expected: all('ok', { suspend: 'SELF_ACTION', delete: 'SELF_ACTION' }),
    },
    {
      who: 'admin on another admin',
      actor: admin,
      target: { id: 'other-admin', role: 'admin' },
      expected: all('ADMIN_PROTECTED', { update: 'ok', files: 'ok' }),
    },
    {
      who: 'admin on another admin, adminsCanCreateAdmins on',
      actor: admin,
      target: { id: 'other-admin', role: 'admin' },
      policy: ON,
      expected: all('ok'),
    },
    {
      // Scopes keep users out of admin procedures; the rules alone would not stop them on non-admins.
      who: 'user on an admin',
      actor: user,
      target: { id: 'other-admin', role: 'admin' },
      expected: all('ADMIN_PROTECTED', { update: 'ok', files: 'ok' }),
    },
    ...(['admin', 'user', 'pending'] as const).map((role) => ({
      who: `owner on an ${role}`,
      actor: owner,
      target: { id: `other-${role}`, role },
      expected: all('ok'),
    })),
    ...(['user', 'pending'] as const).flatMap((role) =>
      [OFF, ON].map((policy) => ({
        who: `admin on a ${role}, adminsCanCreateAdmins ${policy.adminsCanCreateAdmins ? 'on' : 'off'}`,
        actor: admin,
        target: { id: `other-${role}`, role },
        policy,
        expected: all('ok'),
      })),
    ),
  ];

  for (const c of cases) {
    it(`${c.who}: ${Object.entries(c.expected)
      .filter(([, v]) => v !== 'ok')
      .map(([k, v]) => `${k}→${v}`)
      .join(', ') || 'everything allowed'}`, () => {
      const got = Object.fromEntries(ACTIONS.map((a) => [a, outcome(() => assertMayAct(c.actor, c.target, a, c.policy ?? OFF))]));
      expect(got).toEqual(c.expected);
      const allowed = allowedActions(c.actor, c.target, c.policy ?? OFF);
      expect(allowed).toEqual(Object.fromEntries(ACTIONS.map((a) => [a, c.expected[a] === 'ok'])));
    });
  }

  it('tells whoever tries to change the owner’s role to transfer ownership instead', () => {
    for (const who of [owner, admin])
      expect(() => assertMayAct(who, OWNER_TARGET, 'changeRole', ON)).toThrow('The owner keeps their role; transfer ownership instead');
    expect(() => assertMayAct(admin, { id: 'b', role: 'admin' }, 'resetPassword', OFF)).toThrow('Only the owner can do that to an administrator');
  });
});

describe('assertMayGrantRole', () => {
  const noSetting = { adminsCanCreateAdmins: false };
  const withSetting = { adminsCanCreateAdmins: true };
  const FROM: (Role | null)[] = [null, 'admin', 'user', 'pending'];
  const TO: Role[] = ['admin', 'user', 'pending'];

  it('refuses `owner` as a target role to everyone, whatever the setting', () => {
    for (const role of ['owner', 'admin'] as const)
      for (const settings of [noSetting, withSetting])
        for (const from of FROM) {
          expect(outcome(() => assertMayGrantRole(actor('a', role), from, 'owner', settings))).toBe('OWNER_PROTECTED');
        }
    expect(() => assertMayGrantRole(actor('o', 'owner'), 'admin', 'owner', noSetting)).toThrow('Ownership moves only by transfer');
  });

  it('lets the owner grant and remove every other role', () => {
    for (const from of FROM) for (const to of TO) expect(outcome(() => assertMayGrantRole(actor('o', 'owner'), from, to, noSetting))).toBe('ok');
  });

  it('keeps admins from making or unmaking admins unless adminsCanCreateAdmins is on', () => {
    const admin = actor('a', 'admin');
    const got: Record<string, string> = {};
    for (const from of FROM) for (const to of TO) got[`${from ?? 'new'}→${to}`] = outcome(() => assertMayGrantRole(admin, from, to, noSetting));
    expect(got).toEqual({
      'new→admin': 'FORBIDDEN',
      'new→user': 'ok',
      'new→pending': 'ok',
      'admin→admin': 'ok',
      'admin→user': 'FORBIDDEN',
      'admin→pending': 'FORBIDDEN',
      'user→admin': 'FORBIDDEN',
      'user→user': 'ok',
      'user→pending': 'ok',
      'pending→admin': 'FORBIDDEN',
      'pending→user': 'ok',
      'pending→pending': 'ok',
    });
    expect(() => assertMayGrantRole(admin, 'user', 'admin', noSetting)).toThrow('Only the owner can grant or remove the admin role');
    for (const from of FROM) for (const to of TO) expect(outcome(() => assertMayGrantRole(admin, from, to, withSetting))).toBe('ok');
  });

  it('needs the user:changeRole scope to change an existing account’s role, not to create one with a role', () => {
    // Every role that holds user:update holds user:changeRole today; a role without it is simulated.
    const scopeless = { ...actor('a', 'admin'), role: 'user' as const };
    expect(outcome(() => assertMayGrantRole(scopeless, 'pending', 'user', withSetting))).toBe('FORBIDDEN');
    expect(() => assertMayGrantRole(scopeless, 'pending', 'user', withSetting)).toThrow('Changing roles needs the user:changeRole permission');
    expect(outcome(() => assertMayGrantRole(scopeless, 'user', 'user', withSetting))).toBe('ok');
    expect(outcome(() => assertMayGrantRole(scopeless, null, 'user', withSetting))).toBe('ok');
  });
});
