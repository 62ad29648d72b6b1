import { describe, expect, it } from 'vitest';
import type { Actor } from '../deps.ts';
import { AppError } from '../errors.ts';
import { assertMayAct, assertMayGrantRole, type UserAction } from './rules.ts';

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

const ACTIONS: UserAction[] = ['update', 'changeRole', 'changeCredentials', 'suspend', 'delete', 'resetPassword', 'revokeSessions'];

describe('assertMayAct', () => {
  const owner = actor('owner', 'owner');
  const admin = actor('admin', 'admin');
  const cases: { who: string; actor: Actor; target: { id: string; role: Role }; expected: Record<UserAction, string> }[] = [
    {
      who: 'admin on the owner',
      actor: admin,
      target: { id: 'owner', role: 'owner' },
      expected: {
        update: 'ok',
        changeRole: 'OWNER_PROTECTED',
        changeCredentials: 'OWNER_PROTECTED',
        suspend: 'OWNER_PROTECTED',
        delete: 'OWNER_PROTECTED',
        resetPassword: 'OWNER_PROTECTED',
        revokeSessions: 'OWNER_PROTECTED',
      },
    },
    {
      who: 'owner on themselves',
      actor: owner,
      target: { id: 'owner', role: 'owner' },
      expected: {
        update: 'ok',
        changeRole: 'OWNER_PROTECTED',
        changeCredentials: 'ok',
        suspend: 'SELF_ACTION',
        delete: 'SELF_ACTION',
        resetPassword: 'ok',
        revokeSessions: 'ok',
      },
    },
    {
      who: 'admin on themselves',
      actor: admin,
      target: { id: 'admin', role: 'admin' },
      expected: {
        update: 'ok',
        changeRole: 'ok',
        changeCredentials: 'ok',
        suspend: 'SELF_ACTION',
        delete: 'SELF_ACTION',
        resetPassword: 'ok',
        revokeSessions: 'ok',
      },
    },
    ...(['admin', 'user', 'pending'] as const).flatMap((role) =>
      [owner, admin].map((a) => ({
        who: `${a.role} on another ${role}`,
        actor: a,
        target: { id: `other-${role}`, role },
        expected: Object.fromEntries(ACTIONS.map((x) => [x, 'ok'])) as Record<UserAction, string>,
      })),
    ),
  ];

  for (const c of cases) {
    it(`${c.who}: ${Object.entries(c.expected)
      .filter(([, v]) => v !== 'ok')
      .map(([k, v]) => `${k}→${v}`)
      .join(', ') || 'everything allowed'}`, () => {
      const got = Object.fromEntries(ACTIONS.map((a) => [a, outcome(() => assertMayAct(c.actor, c.target, a))]));
      expect(got).toEqual(c.expected);
    });
  }

  it('tells the owner to transfer ownership rather than change their role', () => {
    expect(() => assertMayAct(owner, { id: 'owner', role: 'owner' }, 'changeRole')).toThrow(
      'The owner keeps their role; transfer ownership instead',
    );
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
});
