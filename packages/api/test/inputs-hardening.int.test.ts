/**
 * Issue 9, "Headers and inputs": local-domain emails for every account,
 * avatars only over https (http only to the instance itself), and the
 * instance default quota for sign-ups and invitations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, TestJar, type TestApi } from '@roster/test/support/api';
import { auditRows, db, makeUser, rejection, signIn } from './admin-users.support.ts';

let api: TestApi;
let owner: TestJar;
const GIB = 1024 ** 3;

beforeAll(async () => {
  api = await createTestApi();
  // The owner itself lives on a local domain.
  await api.as().setup.createOwner({ email: 'Admin@LocalHost', name: 'Olga Owner', password: 'correct horse battery' });
  owner = await signIn(api, 'admin@localhost', 'correct horse battery');
});
afterAll(() => api.close());

const emailRow = (email: string) => db(api).execute<{ id: string; quota_bytes: string | null }[]>(`select id, quota_bytes from users where email = ?`, [email]);

describe('emails on a local domain', () => {
  it('are accepted for the owner, admin-created users, sign-up, invitations and an email change', async () => {
    expect(await emailRow('admin@localhost')).toHaveLength(1);

    const ana = await makeUser(api, owner, { email: 'ana@homelab' });
    expect(ana.email).toBe('ana@homelab');

    await api.as(owner).admin.settings.update({ signupEnabled: true });
    const { user: sam } = await api.as(new TestJar()).auth.signUp({ email: 'sam@nas', name: 'Sam', password: 'sam-password-1' });
    expect(sam.email).toBe('sam@nas');

    const { token, invitation } = await api.as(owner).admin.users.invite({ email: 'ivy@home.lan', role: 'user' });
    expect(invitation.email).toBe('ivy@home.lan');
    const { user: ivy } = await api.as(new TestJar()).auth.acceptInvitation({ token, name: 'Ivy', password: 'ivy-password-1' });
    expect(ivy.email).toBe('ivy@home.lan');

    const changed = await api.as(owner).admin.users.update({ id: ana.id, email: 'ana.b@homelab' });
    expect(changed.email).toBe('ana.b@homelab');
    expect(await emailRow('ana.b@homelab')).toHaveLength(1);
  });

  it.each(['not-an-email', 'ana@', '@homelab', 'ana b@homelab', 'ana@-homelab', 'ana@homelab-', 'ana@home..lab', '.ana@homelab', 'ana.@homelab', 'an..a@homelab', 'ana@home_lab', `${'a'.repeat(65)}@lan`, `a@${'b.'.repeat(126)}lan`])(
    'still refuses %s with a field error and creates nothing',
    async (email) => {
      const r = await rejection(api.as(owner).admin.users.create({ email, name: 'X', role: 'user', password: 'x-password-1', mustChangePassword: false }));
      expect(r).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { email: [expect.stringMatching(/valid email|At most 254/)] } });
      expect(await db(api).execute(`select count(*)::int as n from users where name = 'X'`)).toEqual([{ n: 0 }]);
    },
  );
});

describe('avatar URLs', () => {
  it('accepts https: anywhere and http: on the instance itself', async () => {
    const bea = await makeUser(api, owner, { email: 'bea@example.com' });
    expect((await api.as(bea.jar).me.update({ avatarUrl: 'https://cdn.example.com/bea.png' })).avatarUrl).toBe('https://cdn.example.com/bea.png');
    // Reached as http://nas.local:3000: an image on that same origin is fine.
    const onInstance = api.as(bea.jar, { host: 'nas.local:3000' });
    expect((await onInstance.me.update({ avatarUrl: 'http://nas.local:3000/api/files/x' })).avatarUrl).toBe('http://nas.local:3000/api/files/x');
    const [row] = await db(api).execute(`select avatar_url from users where id = ?`, [bea.id]);
    expect(row).toEqual({ avatar_url: 'http://nas.local:3000/api/files/x' });
  });

  it('refuses http: elsewhere, and other schemes, with a clear message on avatarUrl', async () => {
    const cy = await makeUser(api, owner, { email: 'cy@example.com' });
    const me = api.as(cy.jar, { host: 'nas.local:3000' }).me;
    const http = await rejection(me.update({ avatarUrl: 'http://tracker.example.com/pixel.gif' }));
    expect(http).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { avatarUrl: ['Use an https:// address (http:// only for images on this instance)'] } });
    // Another port is another origin.
    expect((await rejection(me.update({ avatarUrl: 'http://nas.local:8080/a.png' }))).fields).toHaveProperty('avatarUrl');
    for (const avatarUrl of ['javascript:alert(1)', 'data:image/png;base64,AAAA', 'ftp://example.com/a.png', 'file:///etc/passwd']) {
      const r = await rejection(me.update({ avatarUrl }));
      expect(r).toMatchObject({ appCode: 'VALIDATION', fields: { avatarUrl: [expect.stringContaining('https://')] } });
    }
    // Admins setting someone's avatar are held to the same rule.
    const admin = await rejection(api.as(owner, { host: 'nas.local:3000' }).admin.users.update({ id: cy.id, avatarUrl: 'http://evil.example/a.png' }));
    expect(admin).toMatchObject({ appCode: 'VALIDATION', fields: { avatarUrl: expect.any(Array) } });
    const [row] = await db(api).execute(`select avatar_url from users where id = ?`, [cy.id]);
    expect(row).toEqual({ avatar_url: null });
  });

  it('trusts ROSTER_PUBLIC_URL over the Host header when it is set', async () => {
    const dee = await makeUser(api, owner, { email: 'dee@example.com' });
    const before = process.env.ROSTER_PUBLIC_URL;
    process.env.ROSTER_PUBLIC_URL = 'https://roster.example.org';
    try {
      // A forged Host no longer makes its origin "the instance".
      const forged = await rejection(api.as(dee.jar, { host: 'evil.example' }).me.update({ avatarUrl: 'http://evil.example/a.png' }));
      expect(forged.fields).toHaveProperty('avatarUrl');
    } finally {
      if (before === undefined) delete process.env.ROSTER_PUBLIC_URL;
      else process.env.ROSTER_PUBLIC_URL = before;
    }
  });
});

describe('instance default quota', () => {
  it('defaults to unlimited and is refused when negative or not a number', async () => {
    expect((await api.as(owner).admin.settings.get()).defaultQuotaGiB).toBeNull();
    const neg = await rejection(api.as(owner).admin.settings.update({ defaultQuotaGiB: -1 }));
    expect(neg).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION', fields: { defaultQuotaGiB: ['Cannot be negative'] } });
    const text = await rejection(api.as(owner).admin.settings.update({ defaultQuotaGiB: '5' as never }));
    expect(text.fields).toHaveProperty('defaultQuotaGiB');
  });

  it('applies to sign-ups and accepted invitations, and is audited', async () => {
    const saved = await api.as(owner).admin.settings.update({ defaultQuotaGiB: 2.5, signupEnabled: true });
    expect(saved.defaultQuotaGiB).toBe(2.5);
    const [audit] = (await auditRows(api, 'settings.update')).slice(-1);
    expect(audit!.details).toMatchObject({ defaultQuotaGiB: 2.5 });

    const { user: sue } = await api.as(new TestJar()).auth.signUp({ email: 'sue@example.com', name: 'Sue', password: 'sue-password-1' });
    expect(sue.quotaBytes).toBe(2.5 * GIB);
    expect(await emailRow('sue@example.com')).toEqual([{ id: sue.id, quota_bytes: String(2.5 * GIB) }]);

    // An invitation sent before a change gets the default at acceptance.
    const { token } = await api.as(owner).admin.users.invite({ email: 'vic@example.com', role: 'user' });
    await api.as(owner).admin.settings.update({ defaultQuotaGiB: 1 });
    const { user: vic } = await api.as(new TestJar()).auth.acceptInvitation({ token, name: 'Vic', password: 'vic-password-1' });
    expect(vic.quotaBytes).toBe(GIB);
    expect(await emailRow('vic@example.com')).toEqual([{ id: vic.id, quota_bytes: String(GIB) }]);

    // Back to unlimited.
    await api.as(owner).admin.settings.update({ defaultQuotaGiB: null });
    const { user: uma } = await api.as(new TestJar()).auth.signUp({ email: 'uma@example.com', name: 'Uma', password: 'uma-password-1' });
    expect(uma.quotaBytes).toBeNull();
  });
});
