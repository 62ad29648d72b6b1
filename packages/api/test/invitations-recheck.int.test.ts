/**
 * An invitation is the inviter's decision, re-checked when it is opened and
 * accepted: an admin invitation sent by an admin while adminsCanCreateAdmins
 * was on is refused (INVITATION_CLOSED, nothing created) once the setting is
 * off or the inviter is no longer an admin; any invitation is refused once
 * its inviter is suspended or deleted. Refused, not downgraded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, TestJar, withOwner, type TestApi } from '@roster/test/support/api';
import { db, makeUser, rejection } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
});
afterAll(() => api?.close());

const accept = (token: string) => api.as(new TestJar()).auth.acceptInvitation({ token, name: 'Invitee', password: 'invitee-password' });
const accountOf = async (email: string) => (await db(api).execute<{ role: string }[]>(`select role from users where email = ?`, [email]))[0] ?? null;
const CLOSED = {
  code: 'CONFLICT',
  appCode: 'INVITATION_CLOSED',
  message: 'This invitation no longer stands: whoever sent it can no longer grant that role. Ask an administrator for a new one',
  fields: undefined,
};
const setAdminsCanCreateAdmins = (on: boolean) => api.as(owner).admin.settings.update({ adminsCanCreateAdmins: on });

async function adminInvite(n: number) {
  const inviter = await makeUser(api, owner, { email: `inviter${n}@example.com`, role: 'admin' });
  await setAdminsCanCreateAdmins(true);
  const email = `future-admin${n}@example.com`;
  const { token } = await api.as(inviter.jar).admin.users.invite({ email, role: 'admin' });
  return { inviter, email, token };
}

describe('accepting an invitation re-checks the rules of today', () => {
  it('refuses an admin invitation from an admin once adminsCanCreateAdmins is off, and accepts it when it is on again', async () => {
    const { email, token } = await adminInvite(1);
    await setAdminsCanCreateAdmins(false);
    expect(await rejection(api.as().auth.invitation({ token }))).toEqual(CLOSED);
    expect(await rejection(accept(token))).toEqual(CLOSED);
    expect(await accountOf(email)).toBeNull();
    await setAdminsCanCreateAdmins(true);
    expect((await accept(token)).user.role).toBe('admin');
    await setAdminsCanCreateAdmins(false);
  });

  it('refuses an admin invitation whose inviter lost the admin role, and any invitation of a suspended inviter (a deleted inviter’s are revoked at deletion)', async () => {
    const demoted = await adminInvite(2);
    const userInvite = (await api.as(demoted.inviter.jar).admin.users.invite({ email: 'plain2@example.com', role: 'user' })).token;
    await setAdminsCanCreateAdmins(false);
    await api.as(owner).admin.users.update({ id: demoted.inviter.id, role: 'user' });
    expect(await rejection(accept(demoted.token))).toEqual(CLOSED);
    // A plain user no longer holds user:invite either.
    expect(await rejection(accept(userInvite))).toEqual(CLOSED);

    const suspended = await makeUser(api, owner, { email: 'inviter3@example.com', role: 'admin' });
    const t3 = (await api.as(suspended.jar).admin.users.invite({ email: 'plain3@example.com', role: 'user' })).token;
    await api.as(owner).admin.users.suspend({ id: suspended.id, reason: 'test' });
    expect(await rejection(accept(t3))).toEqual(CLOSED);
    await api.as(owner).admin.users.unsuspend({ id: suspended.id });
    expect((await accept(t3)).user.role).toBe('user');

    for (const email of [demoted.email, 'plain2@example.com']) expect(await accountOf(email)).toBeNull();
  });

  it('still accepts what the owner sent, whatever the setting', async () => {
    await setAdminsCanCreateAdmins(false);
    const { token } = await api.as(owner).admin.users.invite({ email: 'owners-admin@example.com', role: 'admin' });
    expect((await accept(token)).user.role).toBe('admin');
  });
});
