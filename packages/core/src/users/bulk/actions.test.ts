import { describe, expect, it } from 'vitest';
import type { Actor } from '../../deps.ts';
import { BULK_ACTIONS, bulkRefusal, type BulkAction, type BulkTarget } from './actions.ts';

const actor = (id: string, role: Actor['role']): Actor => ({ id, role, email: `${id}@example.com`, name: id, status: 'active', mustChangePassword: false });
const OFF = { adminsCanCreateAdmins: false };
const ON = { adminsCanCreateAdmins: true };
const target = (id: string, role: BulkTarget['role'], status: BulkTarget['status'] = 'active', purgeStartedAt: Date | null = null): BulkTarget => ({ id, role, status, purgeStartedAt });
const code = (a: Actor, t: BulkTarget, action: BulkAction, policy = OFF, args = {}) => bulkRefusal(a, t, action, { role: 'user', ...args }, policy)?.code ?? 'ok';
const each = (a: Actor, t: BulkTarget, policy = OFF) => Object.fromEntries(BULK_ACTIONS.map((x) => [x, code(a, t, x, policy)]));

const owner = actor('o', 'owner');
const admin = actor('a', 'admin');

describe('bulkRefusal: the single actions’ rules, per user', () => {
  it('never touches the owner: an admin is refused every action', () => {
    expect(Object.values(each(admin, target('o', 'owner')))).toEqual(Array(BULK_ACTIONS.length).fill('OWNER_PROTECTED'));
  });

  it('refuses yourself what the single actions refuse (suspend, delete), and the owner’s own role change', () => {
    expect(each(owner, target('o', 'owner'))).toMatchObject({ suspend: 'SELF_ACTION', delete: 'SELF_ACTION', setRole: 'OWNER_PROTECTED', approve: 'OWNER_PROTECTED', revokeSessions: 'ok', setQuota: 'ok' });
    expect(each(admin, target('a', 'admin'))).toMatchObject({ suspend: 'SELF_ACTION', delete: 'SELF_ACTION', unsuspend: 'SELF_ACTION' });
  });

  it('keeps an admin’s account the owner’s to act on unless adminsCanCreateAdmins', () => {
    expect(each(admin, target('b', 'admin'))).toMatchObject({ suspend: 'ADMIN_PROTECTED', delete: 'ADMIN_PROTECTED', revokeSessions: 'ADMIN_PROTECTED', setQuota: 'ok' });
    expect(code(admin, target('b', 'admin'), 'suspend', ON)).toBe('ok');
    expect(code(owner, target('b', 'admin'), 'suspend')).toBe('ok');
  });

  it('grants and removes the admin role only as assertMayGrantRole allows', () => {
    expect(code(admin, target('u', 'user'), 'setRole', OFF, { role: 'admin' })).toBe('FORBIDDEN');
    expect(code(admin, target('u', 'user'), 'setRole', ON, { role: 'admin' })).toBe('ok');
    expect(code(owner, target('u', 'user'), 'setRole', OFF, { role: 'admin' })).toBe('ok');
    expect(code(admin, target('p', 'pending'), 'setRole', OFF, { role: 'user' })).toBe('ok');
  });

  it('asks each action’s state: approve pending only, unsuspend suspended only, restore deleted and not purging, no suspending or deleting the deleted', () => {
    expect(code(owner, target('u', 'user'), 'approve')).toBe('NOT_PENDING');
    expect(code(owner, target('u', 'admin'), 'approve')).toBe('NOT_PENDING');
    expect(code(owner, target('p', 'pending'), 'approve')).toBe('ok');
    expect(code(owner, target('u', 'user'), 'unsuspend')).toBe('NOT_SUSPENDED');
    expect(code(owner, target('u', 'user', 'suspended'), 'unsuspend')).toBe('ok');
    expect(code(owner, target('u', 'user'), 'restore')).toBe('USER_NOT_DELETED');
    expect(code(owner, target('u', 'user', 'deleted', new Date()), 'restore')).toBe('PURGE_IN_PROGRESS');
    expect(code(owner, target('u', 'user', 'deleted'), 'restore')).toBe('ok');
    expect(code(owner, target('u', 'user', 'deleted'), 'delete')).toBe('USER_ALREADY_DELETED');
    expect(code(owner, target('u', 'user', 'deleted'), 'suspend')).toBe('USER_NOT_FOUND');
  });
});
