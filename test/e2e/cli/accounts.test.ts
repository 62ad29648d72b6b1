import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliSandbox, createOwner, okJson, OWNER } from '../../support/cli.ts';
import { startApp, type RunningApp } from '../../support/server.ts';

// Every step spawns the real binary: about 0.4 s of CPU each, far more on a busy machine.
vi.setConfig({ testTimeout: 240_000 });

let app: RunningApp;
const sandboxes: CliSandbox[] = [];
let owner: CliSandbox;
const PW = 'a long enough password';

async function signedIn(email: string, password = PW) {
  const s = new CliSandbox();
  sandboxes.push(s);
  const r = await s.run(['login', '--url', app.baseUrl, '--email', email, '--password-stdin'], { input: password });
  expect(r.code, r.stderr).toBe(0);
  return s;
}
const create = (email: string, name: string, extra: string[] = []) =>
  owner.run(['users', 'create', email, '--name', name, '--password-stdin', '--no-must-change', '--json', ...extra], { input: PW }).then(okJson);
const failure = (r: { code: number | null; stdout: string; stderr: string }, exit: number, code: string) => {
  expect(r.code, r.stderr).toBe(exit);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(new RegExp(`^error ${code}: .*\\n(.*\\n)*hint: `));
};

beforeAll(async () => {
  app = await startApp();
  await createOwner(app.baseUrl);
  owner = await signedIn(OWNER.email, OWNER.password);
});
afterAll(async () => {
  await app?.stop();
  for (const s of sandboxes) s.remove();
});

describe('roster users: create, get, update, approve', () => {
  it('creates with a generated password shown once, normalised fields, and refuses a taken email', async () => {
    const r = okJson(
      await owner.run(['users', 'create', 'Uma@Example.com', '--name', 'Uma User', '--generate-password', '--quota', '0.5', '--storage-label', 'Uma.Files', '--json']),
    );
    expect(Object.keys(r).sort()).toEqual(['generatedPassword', 'user']);
    expect(r.generatedPassword).toMatch(/^\S{12,}$/);
    expect(r.user).toMatchObject({ email: 'uma@example.com', role: 'user', mustChangePassword: true, quotaBytes: 512 * 1024 ** 2, storageLabel: 'uma.files' });
    expect(JSON.stringify(r)).not.toMatch(/hash/i);

    const human = await owner.run(['users', 'create', 'gen@example.com', '--name', 'Gen', '--generate-password']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^✓ Created Gen <gen@example\.com> \(user\)\n/);
    expect(human.stdout).toMatch(/\nPassword: \S+\nwarning: this is shown only once/);

    failure(await owner.run(['users', 'create', 'UMA@example.com', '--name', 'Again', '--generate-password']), 1, 'EMAIL_TAKEN');
    for (const args of [
      ['x@example.com', '--generate-password'],
      ['x@example.com', '--name', 'X', '--generate-password', '--password-stdin'],
      ['x@example.com', '--name', 'X'],
      ['x@example.com', '--name', 'X', '--generate-password', '--quota', 'lots'],
    ]) {
      const u = await owner.run(['users', 'create', ...args]);
      expect(u.code, args.join(' ')).toBe(2);
      expect(u.stderr).toMatch(/^error USAGE: /);
    }
  });

  it('gets by id or email, updates only what is given, approves only pending users', async () => {
    const byEmail = okJson(await owner.run(['users', 'get', 'UMA@example.com', '--json']));
    expect(okJson(await owner.run(['users', 'get', byEmail.id, '--json'])).email).toBe('uma@example.com');
    failure(await owner.run(['users', 'get', 'nobody@example.com']), 1, 'USER_NOT_FOUND');

    const upd = okJson(await owner.run(['users', 'update', 'uma@example.com', '--name', 'Uma U.', '--quota', '0', '--json']));
    expect(upd.changed).toEqual(['name', 'quotaGiB']);
    expect(upd.user).toMatchObject({ name: 'Uma U.', quotaBytes: null, storageLabel: 'uma.files' });
    expect((await owner.run(['users', 'update', 'uma@example.com'])).code).toBe(2);

    await create('pat@example.com', 'Pat Pending', ['--role', 'pending']);
    const approved = await owner.run(['users', 'approve', 'pat@example.com']);
    expect(approved.stdout).toContain('✓ Approved Pat Pending <pat@example.com>');
    expect(okJson(await owner.run(['users', 'get', 'pat@example.com', '--json'])).role).toBe('user');
    failure(await owner.run(['users', 'approve', 'pat@example.com']), 1, 'NOT_PENDING');
  });
});

describe('roster users: passwords, links, sessions', () => {
  it('lists sessions, refuses to end them without --yes, resets a password once', async () => {
    await create('vic@example.com', 'Vic');
    const vic = await signedIn('vic@example.com');
    const listed = okJson(await owner.run(['users', 'sessions', 'vic@example.com', '--json']));
    expect(listed.sessions).toHaveLength(1);
    expect(listed.sessions[0]).toMatchObject({ userAgent: expect.stringMatching(/^roster-cli\//), ip: expect.any(String) });

    const refused = await owner.run(['users', 'revoke-sessions', 'vic@example.com']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error CONFIRMATION_REQUIRED: .*\nhint: pass --yes/);
    expect((await owner.run(['users', 'reset-password', 'vic@example.com'])).code).toBe(2);
    expect((await vic.run(['whoami'])).code).toBe(0);

    const reset = okJson(await owner.run(['users', 'reset-password', 'vic@example.com', '--yes', '--json']));
    expect(reset).toMatchObject({ email: 'vic@example.com', password: expect.stringMatching(/^\S{12,}$/) });
    failure(await vic.run(['whoami']), 1, 'UNAUTHENTICATED');

    // The new password works once; the forced change goes through `roster me password`.
    const again = await signedIn('vic@example.com', reset.password);
    failure(await again.run(['me', 'sessions']), 1, 'PASSWORD_CHANGE_REQUIRED');
    const changed = await again.run(['me', 'password', '--password-stdin'], { input: `${reset.password}\nvic's very own password\n` });
    expect(changed.code, changed.stderr).toBe(0);
    expect(okJson(await again.run(['me', '--json'])).mustChangePassword).toBe(false);

    const link = okJson(await owner.run(['users', 'reset-link', 'vic@example.com', '--json']));
    expect(link.url).toMatch(new RegExp(`^${app.baseUrl}/reset/\\S{20,}$`));
    const ended = okJson(await owner.run(['users', 'revoke-sessions', 'vic@example.com', '--yes', '--json']));
    expect(ended.revoked).toBe(1);
    failure(await again.run(['whoami']), 1, 'UNAUTHENTICATED');
  });
});

describe('roster users: suspension and owner protections', () => {
  it('suspends until a date, lifts it, and keeps the owner out of reach', async () => {
    await create('ada@example.com', 'Ada Admin', ['--role', 'admin']);
    const ada = await signedIn('ada@example.com');
    failure(await ada.run(['users', 'suspend', OWNER.email, '--reason', 'coup']), 1, 'OWNER_PROTECTED');
    failure(await ada.run(['users', 'delete', OWNER.email, '--yes']), 1, 'OWNER_PROTECTED');
    failure(await owner.run(['users', 'suspend', OWNER.email, '--reason', 'tired']), 1, 'SELF_ACTION');

    expect((await owner.run(['users', 'suspend', 'uma@example.com'])).code).toBe(2);
    expect((await owner.run(['users', 'suspend', 'uma@example.com', '--reason', 'x', '--until', 'someday'])).code).toBe(2);
    const s = okJson(await owner.run(['users', 'suspend', 'uma@example.com', '--reason', 'cooling off', '--until', '7d', '--json']));
    expect(s).toMatchObject({ status: 'suspended', suspendedReason: 'cooling off' });
    expect(Math.abs(Date.parse(s.suspendedUntil) - Date.now() - 7 * 86_400_000)).toBeLessThan(120_000);
    const human = await owner.run(['users', 'get', 'uma@example.com']);
    expect(human.stdout).toMatch(/Status\s+suspended, ends in 7 days/);
    const lifted = await owner.run(['users', 'unsuspend', 'uma@example.com']);
    expect(lifted.stdout).toBe('✓ Uma U. <uma@example.com> can sign in again\n');
  });
});

describe('roster users: invitations', () => {
  it('invites with a link, lists, revokes, and will not resend a closed one', async () => {
    const inv = okJson(await owner.run(['users', 'invite', 'New@example.com', '--role', 'admin', '--json']));
    expect(inv.url).toMatch(new RegExp(`^${app.baseUrl}/invite/\\S{20,}$`));
    expect(inv.invitation).toMatchObject({ email: 'new@example.com', role: 'admin', status: 'pending' });
    const listed = okJson(await owner.run(['users', 'invitations', '--status', 'pending', '--json']));
    expect(listed.items.map((i: { email: string }) => i.email)).toContain('new@example.com');
    const revoked = okJson(await owner.run(['users', 'invitation', 'revoke', inv.invitation.id, '--json']));
    expect(revoked.status).toBe('revoked');
    failure(await owner.run(['users', 'invitation', 'resend', inv.invitation.id]), 1, 'INVITATION_CLOSED');
    failure(await owner.run(['users', 'invite', 'uma@example.com']), 1, 'EMAIL_TAKEN');
  });
});

describe('roster settings and roster me', () => {
  it('reads and sets instance settings with typed values', async () => {
    const all = okJson(await owner.run(['settings', 'get', '--json']));
    expect(all).toMatchObject({ signupEnabled: false, userDeleteDelayDays: 7, defaultRole: 'pending' });
    const set = okJson(await owner.run(['settings', 'set', 'signupEnabled=yes', 'userDeleteDelayDays=3', '--json']));
    expect(set.changed).toEqual(['signupEnabled', 'userDeleteDelayDays']);
    expect(set.after).toMatchObject({ signupEnabled: true, userDeleteDelayDays: 3 });
    expect(okJson(await owner.run(['settings', 'get', 'userDeleteDelayDays', '--json']))).toEqual({ userDeleteDelayDays: 3 });
    const human = await owner.run(['settings']);
    expect(human.stdout).toMatch(/^SETTING\s+VALUE\s+MEANING\n/);
    expect(human.stdout).toMatch(/\nuserDeleteDelayDays\s+3\s+grace period/);
    for (const bad of ['signupEnabled=maybe', 'nothing=1', 'userDeleteDelayDays']) expect((await owner.run(['settings', 'set', bad])).code, bad).toBe(2);
    failure(await owner.run(['settings', 'set', 'userDeleteDelayDays=400']), 1, 'VALIDATION');
    const member = await signedIn('pat@example.com');
    failure(await member.run(['settings']), 1, 'FORBIDDEN');
  });

  it('sets the default quota for new accounts as GiB, or none for unlimited', async () => {
    expect(okJson(await owner.run(['settings', 'get', 'defaultQuotaGiB', '--json']))).toEqual({ defaultQuotaGiB: null });
    expect((await owner.run(['settings'])).stdout).toMatch(/\ndefaultQuotaGiB\s+none\s+storage quota/);
    const set = okJson(await owner.run(['settings', 'set', 'defaultQuotaGiB=2.5', '--json']));
    expect(set.after.defaultQuotaGiB).toBe(2.5);
    expect((await owner.run(['settings', 'set', 'defaultQuotaGiB=none'])).stdout).toMatch(/defaultQuotaGiB\s+2\.5 → none/);
    expect(okJson(await owner.run(['settings', 'get', 'defaultQuotaGiB', '--json']))).toEqual({ defaultQuotaGiB: null });
    const bad = await owner.run(['settings', 'set', 'defaultQuotaGiB=lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/defaultQuotaGiB is a number or none/);
    failure(await owner.run(['settings', 'set', 'defaultQuotaGiB=-1']), 1, 'VALIDATION');
  });

  it('shows and edits your own profile, status, settings and sessions', async () => {
    const pat = await signedIn('pat@example.com');
    expect(okJson(await pat.run(['me', '--json'])).email).toBe('pat@example.com');
    expect(okJson(await pat.run(['me', 'update', '--name', 'Pat P.', '--json'])).name).toBe('Pat P.');
    const st = okJson(await pat.run(['me', 'status', 'set', 'In a meeting', '--emoji', '📅', '--until', '1h', '--json']));
    expect(st).toMatchObject({ emoji: '📅', message: 'In a meeting', expiresAt: expect.any(String) });
    expect((await pat.run(['me', 'status'])).stdout).toMatch(/^📅 In a meeting \(until .* UTC\)\n$/);
    expect(okJson(await pat.run(['me', 'status', 'clear', '--json']))).toEqual({ emoji: null, message: null, expiresAt: null });
    expect(okJson(await pat.run(['me', 'settings', 'set', 'theme=dark', 'pageSize=50', '--json']))).toEqual({ theme: 'dark', pageSize: 50 });
    expect(okJson(await pat.run(['me', 'settings', 'unset', 'theme', '--json']))).toEqual({ pageSize: 50 });
    const sessions = okJson(await pat.run(['me', 'sessions', '--json']));
    expect(sessions.filter((x: { current: boolean }) => x.current)).toHaveLength(1);
  });
});

describe('roster users transfer-ownership', () => {
  it('needs --yes without a terminal and the right password, then swaps the roles', async () => {
    expect((await owner.run(['users', 'transfer-ownership', 'ada@example.com', '--password-stdin'], { input: OWNER.password })).code).toBe(2);
    failure(await owner.run(['users', 'transfer-ownership', 'ada@example.com', '--password-stdin', '--yes'], { input: 'wrong' }), 1, 'WRONG_PASSWORD');
    const r = okJson(await owner.run(['users', 'transfer-ownership', 'ada@example.com', '--password-stdin', '--yes', '--json'], { input: OWNER.password }));
    expect(r.newOwner).toMatchObject({ email: 'ada@example.com', role: 'owner' });
    expect(r.previousOwner).toMatchObject({ email: OWNER.email, role: 'admin' });
  });
});
