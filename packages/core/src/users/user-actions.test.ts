import { describe, expect, it } from 'vitest';
import type { Actor } from '../deps.ts';
import { AppError } from '../errors.ts';
import { assertMayBecomeOwner, offeredUserActions, OFFERED_USER_ACTIONS, type ActionTarget, type OfferedUserAction } from './user-actions.ts';

const actor = (id: string, role: Actor['role'], keyScopes?: string[]): Actor => ({
  id, role, email: `${id}@example.com`, name: id, status: 'active', mustChangePassword: false, ...(keyScopes ? { keyScopes } : {}),
});
const target = (id: string, role: ActionTarget['role'], status: ActionTarget['status'] = 'active', purgeStartedAt: Date | null = null): ActionTarget => ({ id, role, status, purgeStartedAt });
const OFF = { adminsCanCreateAdmins: false };
const ON = { adminsCanCreateAdmins: true };
/** The offered actions, as the list of those that are true (easier to read than sixteen booleans). */
const offered = (a: Actor, t: ActionTarget, policy = OFF) =>
  Object.entries(offeredUserActions(a, t, policy)).filter(([, v]) => v).map(([k]) => k as OfferedUserAction).sort();
const only = (...actions: OfferedUserAction[]) => [...actions].sort();
const except = (...actions: OfferedUserAction[]) => OFFERED_USER_ACTIONS.filter((x) => !actions.includes(x)).sort();

const owner = actor('owner', 'owner');
const admin = actor('admin', 'admin');
const LIVE_ONLY: OfferedUserAction[] = ['approve', 'unsuspend', 'restore', 'purgeNow'];

describe('offeredUserActions', () => {
  it('the owner on an active user: everything a live account takes, ownership included', () => {
    expect(offered(owner, target('u', 'user'))).toEqual(except(...LIVE_ONLY));
  });

  it('on themselves: no suspension, deletion or ownership transfer; own profile, sessions and keys', () => {
    expect(offered(owner, target('owner', 'owner'))).toEqual(except(...LIVE_ONLY, 'changeRole', 'grantAdmin', 'suspend', 'delete', 'transferOwnership'));
    expect(offered(admin, target('admin', 'admin'))).toEqual(except(...LIVE_ONLY, 'suspend', 'delete', 'transferOwnership', 'grantAdmin'));
  });

  it('an admin on the owner: nothing at all', () => {
    expect(offered(admin, target('owner', 'owner'))).toEqual([]);
    expect(offered(admin, target('owner', 'owner'), ON)).toEqual([]);
  });

  it('an admin on another admin: profile and files only, unless admins may create admins', () => {
    expect(offered(admin, target('a2', 'admin'))).toEqual(only('edit', 'files'));
    expect(offered(admin, target('a2', 'admin'), ON)).toEqual(except(...LIVE_ONLY, 'transferOwnership'));
  });

  it('an admin on a user: all but ownership; the admin role only with adminsCanCreateAdmins', () => {
    expect(offered(admin, target('u', 'user'))).toEqual(except(...LIVE_ONLY, 'transferOwnership', 'grantAdmin'));
    expect(offeredUserActions(admin, target('u', 'user'), ON).grantAdmin).toBe(true);
  });

  it('a suspended user: lift, not suspend again; ownership never goes to them', () => {
    const t = target('u', 'user', 'suspended');
    expect(offered(owner, t)).toEqual(except('approve', 'restore', 'purgeNow', 'suspend', 'transferOwnership'));
  });

  it('a pending user: approve; ownership never goes to them', () => {
    const a = offeredUserActions(owner, target('p', 'pending'), OFF);
    expect(a).toMatchObject({ approve: true, changeRole: true, transferOwnership: false, suspend: true, delete: true });
    // A suspended pending account is lifted first.
    expect(offeredUserActions(owner, target('p', 'pending', 'suspended'), OFF).approve).toBe(false);
  });

  it('a deleted user: restore and purge now until the purge begins, nothing else', () => {
    expect(offered(admin, target('u', 'user', 'deleted'))).toEqual(only('restore', 'purgeNow', 'files'));
    expect(offered(admin, target('u', 'user', 'deleted', new Date()))).toEqual(only('files'));
    // A deleted admin is the owner's to restore (adminsCanCreateAdmins off).
    expect(offered(admin, target('a2', 'admin', 'deleted'))).toEqual(only('files'));
  });

  it('a service account: managed like a user, never made owner', () => {
    expect(offered(owner, target('s', 'service'))).toEqual(except(...LIVE_ONLY, 'transferOwnership'));
    expect(() => assertMayBecomeOwner({ role: 'service', status: 'active' })).toThrow(AppError);
  });

  it('actors without admin scopes (a user, a service account, a key without them) are offered nothing on others', () => {
    expect(offered(actor('x', 'user'), target('u', 'user'))).toEqual([]);
    expect(offered(actor('s', 'service'), target('u', 'user'))).toEqual([]);
    expect(offered(actor('k', 'admin', ['user:read', 'user:list']), target('u', 'user'))).toEqual([]);
    expect(offered(actor('k', 'admin', ['user:suspend']), target('u', 'user'))).toEqual(only('suspend'));
  });
});
