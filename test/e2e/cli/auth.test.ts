import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliSandbox, createOwner, OWNER } from '../../support/cli.ts';
import { startApp, type RunningApp } from '../../support/server.ts';

// Every step spawns the real binary: about 0.4 s of CPU each, far more on a busy CI machine.
vi.setConfig({ testTimeout: 120_000 });

let app: RunningApp;
const sandboxes: CliSandbox[] = [];
const sandbox = () => {
  const s = new CliSandbox();
  sandboxes.push(s);
  return s;
};
const login = (s: CliSandbox, extra: string[] = [], password = OWNER.password) =>
  s.run(['login', '--url', app.baseUrl, '--email', OWNER.email, '--password-stdin', ...extra], { input: `${password}\n` });

beforeAll(async () => {
  app = await startApp();
  await createOwner(app.baseUrl);
});
afterAll(async () => {
  await app?.stop();
  for (const s of sandboxes) s.remove();
});

describe('roster login', () => {
  it('signs in with --password-stdin and saves the session in a 0600 file', async () => {
    const s = sandbox();
    const r = await login(s);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Signed in to ${app.baseUrl} as ${OWNER.name}`);
    expect(fs.statSync(s.configFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(s.configFile)).mode & 0o777).toBe(0o700);
    const profile = s.config().profiles.default!;
    expect(profile).toMatchObject({ url: app.baseUrl, email: OWNER.email });
    expect(profile.token).toMatch(/^\w{20,}$/);
    expect(r.stdout).not.toContain(profile.token);
  });

  it('refuses a wrong password: INVALID_CREDENTIALS on stderr, nothing on stdout, nothing saved', async () => {
    const s = sandbox();
    const r = await login(s, [], 'not the password');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error INVALID_CREDENTIALS: /);
    expect(r.stderr).toContain('hint:');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(s.configFile)).toBe(false);
  });

  it('is a usage error without a terminal or --password-stdin', async () => {
    const r = await sandbox().run(['login', '--url', app.baseUrl, '--email', OWNER.email]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--password-stdin');
  });

  it('prints only JSON with --json, without the token', async () => {
    const s = sandbox();
    const r = await login(s, ['--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ url: app.baseUrl, profile: 'default', user: { email: OWNER.email, role: 'owner' } });
    expect(r.stdout).not.toContain(s.config().profiles.default!.token);
  });
});

describe('roster whoami', () => {
  it('shows the signed-in user for people and as JSON', async () => {
    const s = sandbox();
    await login(s);
    const human = await s.run(['whoami']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Name\s+Olga Owner/);
    expect(human.stdout).toMatch(/Role\s+owner/);
    expect(human.stdout).toContain(app.baseUrl);
    const json = await s.run(['whoami', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ email: OWNER.email, name: OWNER.name, role: 'owner', status: 'active' });
  });

  it('uses ROSTER_URL + ROSTER_TOKEN over an empty config, and --url over ROSTER_URL', async () => {
    const s = sandbox();
    await login(s);
    const token = s.config().profiles.default!.token!;
    const other = sandbox();
    const viaEnv = await other.run(['whoami', '--json'], { env: { ROSTER_URL: app.baseUrl, ROSTER_TOKEN: token } });
    expect(JSON.parse(viaEnv.stdout).email).toBe(OWNER.email);
    const flagWins = await other.run(['whoami', '--url', app.baseUrl], { env: { ROSTER_URL: 'http://127.0.0.1:9', ROSTER_TOKEN: token } });
    expect(flagWins.code).toBe(0);
  });

  it('never sends a saved session to another server address', async () => {
    const s = sandbox();
    await login(s);
    const elsewhere = app.baseUrl.replace('127.0.0.1', 'localhost');
    const r = await s.run(['whoami', '--url', elsewhere]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error UNAUTHENTICATED: /);
    expect(r.stderr).toContain(`roster login --url ${elsewhere} --email`);
  });
});

describe('roster logout', () => {
  it('ends the session on the server and forgets the token', async () => {
    const s = sandbox();
    await login(s);
    const token = s.config().profiles.default!.token!;
    const r = await s.run(['logout']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Signed out');
    expect(s.config().profiles.default).toEqual({ url: app.baseUrl, email: OWNER.email });
    const after = await s.run(['whoami']);
    expect(after.code).toBe(1);
    expect(after.stdout).toBe('');
    expect(after.stderr).toMatch(/^error UNAUTHENTICATED: .*\nhint: run `roster login --url/);
    const revoked = await sandbox().run(['whoami'], { env: { ROSTER_URL: app.baseUrl, ROSTER_TOKEN: token } });
    expect(revoked.stderr).toMatch(/^error UNAUTHENTICATED: /);
    expect((await s.run(['logout'])).stdout).toContain('Not signed in');
  });
});

describe('roster profiles', () => {
  it('keeps one session per profile and switches between them', async () => {
    const s = sandbox();
    await login(s);
    await login(s, ['--profile', 'second']);
    const list = JSON.parse((await s.run(['profiles', 'list', '--json'])).stdout);
    expect(list.map((p: { name: string; current: boolean }) => [p.name, p.current])).toEqual([
      ['default', false],
      ['second', true],
    ]);
    expect(JSON.stringify(list)).not.toContain(s.config().profiles.second!.token);
    expect((await s.run(['profiles', 'use', 'default'])).code).toBe(0);
    expect(s.config().currentProfile).toBe('default');
    const missing = await s.run(['profiles', 'use', 'nope']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('known profiles: default, second');
  });
});
