import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, TestJar, withOwner, type TestApi } from '@roster/test/support/api';
import { db, makeUser, rejection } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
let admin: TestJar;
let user: TestJar;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
  admin = (await makeUser(api, owner, { email: 'adele@example.com', role: 'admin' })).jar;
  user = (await makeUser(api, owner, { email: 'ursula@example.com' })).jar;
});
afterAll(() => api.close());

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const accept = (token: string, jar = new TestJar(), password = 'invitee-password') =>
  api.as(jar).auth.acceptInvitation({ token, name: 'Invitee', password });
const expire = (id: string) => db(api).execute(`update invitations set expires_at = now() - interval '1 second' where id = ?`, [id]);

describe('admin.users.invite', () => {
  it('returns the link once, stores only its hash, and expires in 7 days', async () => {
    const before = Date.now();
    const res = await api.as(owner).admin.users.invite({ email: 'Ivy@Example.com', role: 'user' });
    expect(res.path).toBe(`/invite/${res.token}`);
    expect(res.token).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(res.invitation).toMatchObject({ email: 'ivy@example.com', role: 'user', status: 'pending', acceptedAt: null, revokedAt: null });
    expect(res.invitation.invitedBy).toMatchObject({ name: 'Olga Owner' });
    expect(JSON.stringify(res.invitation)).not.toContain(res.token);
    expect(JSON.stringify(res.invitation)).not.toContain(sha256(res.token));
    const week = 7 * 86_400_000;
    expect(Date.parse(res.invitation.expiresAt) - before).toBeGreaterThanOrEqual(week - 1000);
    expect(Date.parse(res.invitation.expiresAt) - before).toBeLessThan(week + 60_000);

    const rows = await db(api).execute<{ token_hash: string }[]>(`select token_hash from invitations where id = ?`, [res.invitation.id]);
    expect(rows).toEqual([{ token_hash: sha256(res.token) }]);
    const leaks = await db(api).execute(`select id from invitations where row_to_json(invitations)::text like ?`, [`%${res.token}%`]);
    expect(leaks).toEqual([]);
    const [audit] = await db(api).execute(`select details from audit_log where action = 'invitation.create'`);
    expect(audit).toEqual({ details: { invitationId: res.invitation.id, email: 'ivy@example.com', role: 'user' } });
  });

  it('refuses an address that already has an account with EMAIL_TAKEN', async () => {
    const err = await rejection(api.as(owner).admin.users.invite({ email: 'URSULA@example.com', role: 'user' }));
    expect(err).toMatchObject({ code: 'CONFLICT', appCode: 'EMAIL_TAKEN' });
  });

  it('needs user:invite, and follows the admin-granting rules', async () => {
    expect(await rejection(api.as(user).admin.users.invite({ email: 'x@example.com', role: 'user' }))).toMatchObject({
      code: 'FORBIDDEN',
      appCode: 'FORBIDDEN',
    });
    expect(await rejection(api.as().admin.users.invite({ email: 'x@example.com', role: 'user' }))).toMatchObject({
      code: 'UNAUTHORIZED',
      appCode: 'UNAUTHENTICATED',
    });
    const adminByAdmin = await rejection(api.as(admin).admin.users.invite({ email: 'x@example.com', role: 'admin' }));
    expect(adminByAdmin).toMatchObject({ code: 'FORBIDDEN', appCode: 'FORBIDDEN' });
    expect((await api.as(admin).admin.users.invite({ email: 'x@example.com', role: 'user' })).invitation.role).toBe('user');
    expect((await api.as(owner).admin.users.invite({ email: 'y@example.com', role: 'admin' })).invitation.role).toBe('admin');
    const owner_ = await rejection(api.as(owner).admin.users.invite({ email: 'z@example.com', role: 'owner' as never }));
    expect(owner_).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { role: expect.any(Array) } });
    const email = await rejection(api.as(owner).admin.users.invite({ email: 'nope', role: 'user' }));
    expect(email).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { email: expect.any(Array) } });
  });

  it('revokes the earlier open invitation of the same address', async () => {
    const first = await api.as(owner).admin.users.invite({ email: 'twice@example.com', role: 'user' });
    const second = await api.as(owner).admin.users.invite({ email: 'twice@example.com', role: 'pending' });
    expect(await rejection(api.as().auth.invitation({ token: first.token }))).toMatchObject({ appCode: 'TOKEN_INVALID' });
    expect(await api.as().auth.invitation({ token: second.token })).toMatchObject({ email: 'twice@example.com', role: 'pending' });
  });
});

describe('auth.invitation and auth.acceptInvitation', () => {
  it('shows the invitation, then creates the account with its email and role and signs it in', async () => {
    const { token, invitation } = await api.as(owner).admin.users.invite({ email: 'nina@example.com', role: 'admin' });
    expect(await api.as().auth.invitation({ token })).toEqual({ email: 'nina@example.com', role: 'admin', expiresAt: invitation.expiresAt });

    const jar = new TestJar();
    const { user: nina } = await accept(token, jar);
    expect(nina).toMatchObject({ email: 'nina@example.com', name: 'Invitee', role: 'admin', mustChangePassword: false });
    expect((await api.as(jar).me.get()).id).toBe(nina.id);
    await api.as(jar).admin.users.list();

    const [inv] = await db(api).execute<{ accepted_at: Date | null }[]>(`select accepted_at from invitations where id = ?`, [invitation.id]);
    expect(inv!.accepted_at).not.toBeNull();
    const [audit] = await db(api).execute(`select actor_id, target_id from audit_log where action = 'invitation.accept'`);
    expect(audit).toEqual({ actor_id: nina.id, target_id: nina.id });

    expect(await rejection(accept(token))).toMatchObject({ code: 'BAD_REQUEST', appCode: 'TOKEN_INVALID' });
    expect(await rejection(api.as().auth.invitation({ token }))).toMatchObject({ code: 'BAD_REQUEST', appCode: 'TOKEN_INVALID' });
  });

  it('applies the password policy and leaves the invitation open on failure', async () => {
    const { token } = await api.as(owner).admin.users.invite({ email: 'otto@example.com', role: 'user' });
    const short = await rejection(accept(token, new TestJar(), 'ninechars'));
    expect(short).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { password: expect.any(Array) } });
    expect(await api.as().auth.invitation({ token })).toMatchObject({ email: 'otto@example.com' });
  });

  it('answers unknown and malformed tokens alike with an error, never a lookup of junk', async () => {
    expect(await rejection(api.as().auth.invitation({ token: 'A'.repeat(40) }))).toMatchObject({ code: 'BAD_REQUEST', appCode: 'TOKEN_INVALID' });
    expect(await rejection(api.as().auth.invitation({ token: "x' or 1=1 --" }))).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION' });
  });

  it('lets exactly one of five concurrent accepts through', async () => {
    const { token } = await api.as(owner).admin.users.invite({ email: 'race@example.com', role: 'user' });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => accept(token)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(await rejection(Promise.reject(r.reason))).toMatchObject({ appCode: 'TOKEN_INVALID' });
    }
    expect(await db(api).execute(`select count(*)::int as n from users where email = 'race@example.com'`)).toEqual([{ n: 1 }]);
  });

  it('refuses an expired link', async () => {
    const { token, invitation } = await api.as(owner).admin.users.invite({ email: 'late@example.com', role: 'user' });
    await expire(invitation.id);
    expect(await rejection(api.as().auth.invitation({ token }))).toMatchObject({ appCode: 'TOKEN_INVALID' });
    expect(await rejection(accept(token))).toMatchObject({ code: 'BAD_REQUEST', appCode: 'TOKEN_INVALID' });
    expect(await db(api).execute(`select id from users where email = 'late@example.com'`)).toEqual([]);
  });

  it('gives EMAIL_TAKEN when the address got an account meanwhile, and keeps the invitation open', async () => {
    const { token, invitation } = await api.as(owner).admin.users.invite({ email: 'meanwhile@example.com', role: 'user' });
    await makeUser(api, owner, { email: 'meanwhile@example.com' });
    expect(await rejection(accept(token))).toMatchObject({ code: 'CONFLICT', appCode: 'EMAIL_TAKEN' });
    const [row] = await db(api).execute(`select accepted_at from invitations where id = ?`, [invitation.id]);
    expect(row).toEqual({ accepted_at: null });
  });
});

describe('revoke, resend and list', () => {
  it('revokes: the link dies, revoking again is harmless, an accepted one cannot be revoked', async () => {
    const { token, invitation } = await api.as(owner).admin.users.invite({ email: 'rev@example.com', role: 'user' });
    const revoked = await api.as(admin).admin.users.revokeInvitation({ id: invitation.id });
    expect(revoked).toMatchObject({ id: invitation.id, status: 'revoked' });
    expect(revoked.revokedAt).not.toBeNull();
    expect(await rejection(accept(token))).toMatchObject({ appCode: 'TOKEN_INVALID' });
    expect((await api.as(owner).admin.users.revokeInvitation({ id: invitation.id })).status).toBe('revoked');
    expect(await db(api).execute(`select count(*)::int as n from audit_log where action = 'invitation.revoke'`)).toEqual([{ n: 1 }]);

    const done = await api.as(owner).admin.users.invite({ email: 'done@example.com', role: 'user' });
    await accept(done.token);
    expect(await rejection(api.as(owner).admin.users.revokeInvitation({ id: done.invitation.id }))).toMatchObject({
      code: 'CONFLICT',
      appCode: 'INVITATION_CLOSED',
    });
    expect(await rejection(api.as(owner).admin.users.revokeInvitation({ id: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({
      code: 'NOT_FOUND',
      appCode: 'NOT_FOUND',
    });
    expect(await rejection(api.as(user).admin.users.revokeInvitation({ id: invitation.id }))).toMatchObject({ appCode: 'FORBIDDEN' });
  });

  it('resends an expired invitation with a new token and expiry; the old token is dead', async () => {
    const first = await api.as(owner).admin.users.invite({ email: 'again@example.com', role: 'user' });
    await expire(first.invitation.id);
    const again = await api.as(owner).admin.users.resendInvitation({ id: first.invitation.id });
    expect(again.token).not.toBe(first.token);
    expect(again.path).toBe(`/invite/${again.token}`);
    expect(again.invitation).toMatchObject({ id: first.invitation.id, status: 'pending' });
    expect(Date.parse(again.invitation.expiresAt)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    const [row] = await db(api).execute(`select token_hash from invitations where id = ?`, [first.invitation.id]);
    expect(row).toEqual({ token_hash: sha256(again.token) });
    expect(await rejection(accept(first.token))).toMatchObject({ appCode: 'TOKEN_INVALID' });
    expect((await accept(again.token)).user.email).toBe('again@example.com');
    expect(await db(api).execute(`select count(*)::int as n from audit_log where action = 'invitation.resend'`)).toEqual([{ n: 1 }]);

    expect(await rejection(api.as(owner).admin.users.resendInvitation({ id: first.invitation.id }))).toMatchObject({
      code: 'CONFLICT',
      appCode: 'INVITATION_CLOSED',
    });
  });

  it('will not resend an admin invitation for an admin who may not grant admin', async () => {
    const { invitation } = await api.as(owner).admin.users.invite({ email: 'boss@example.com', role: 'admin' });
    expect(await rejection(api.as(admin).admin.users.resendInvitation({ id: invitation.id }))).toMatchObject({
      code: 'FORBIDDEN',
      appCode: 'FORBIDDEN',
    });
  });

  it('lists with the computed status and filters by it', async () => {
    const list = api.as(owner).admin.users;
    const all = await list.invitations();
    const byStatus = (s: string) => all.items.filter((i) => i.status === s).map((i) => i.id).sort();
    expect(all.total).toBe(all.items.length);
    for (const status of ['pending', 'accepted', 'expired', 'revoked'] as const) {
      const filtered = await list.invitations({ status });
      expect(filtered.items.map((i) => i.id).sort()).toEqual(byStatus(status));
      expect(filtered.items.length).toBeGreaterThan(0);
    }
    expect(all.items.find((i) => i.email === 'late@example.com')?.status).toBe('expired');
    expect(all.items.find((i) => i.email === 'nina@example.com')?.status).toBe('accepted');
    for (const item of all.items) expect(Object.keys(item).sort()).toEqual(
      ['acceptedAt', 'createdAt', 'email', 'expiresAt', 'id', 'invitedBy', 'revokedAt', 'role', 'status'],
    );
    expect((await list.invitations({ page: 1, pageSize: 2 })).items).toHaveLength(2);
    expect(await rejection(api.as(user).admin.users.invitations())).toMatchObject({ code: 'FORBIDDEN', appCode: 'FORBIDDEN' });
  });
});
