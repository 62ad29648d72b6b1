import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliSandbox, createOwner, okJson, OWNER } from '../../support/cli.ts';
import { startApp, type RunningApp } from '../../support/server.ts';

// Every step spawns the real binary: about 0.4 s of CPU each, far more on a busy machine.
vi.setConfig({ testTimeout: 240_000 });

let app: RunningApp;
let owner: CliSandbox;
const sandboxes: CliSandbox[] = [];
const sandbox = () => {
  const s = new CliSandbox();
  sandboxes.push(s);
  return s;
};

beforeAll(async () => {
  app = await startApp();
  await createOwner(app.baseUrl);
  owner = sandbox();
  const r = await owner.run(['login', '--url', app.baseUrl, '--email', OWNER.email, '--password-stdin'], { input: OWNER.password });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  await app?.stop();
  for (const s of sandboxes) s.remove();
});

describe('roster keys', () => {
  it('creates a key (secret once, with a warning), lists it without the secret, revokes it', async () => {
    const human = await owner.run(['keys', 'create', 'reporting', '--scope', 'user:list', '--expires', '30d']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^✓ Created API key reporting \(rst_[A-Za-z0-9]{8}…, user:list\)\n/);
    expect(human.stdout).toMatch(/\nSecret: rst_[A-Za-z0-9]{40}\nwarning: this is shown only once/);

    const created = okJson(await owner.run(['keys', 'create', 'ci', '--scope', 'me', '--scope', 'user:read', '--json']));
    expect(created).toMatchObject({ name: 'ci', scopes: ['me', 'user:read'], secret: expect.stringMatching(/^rst_/), expiresAt: null });

    const list = await owner.run(['keys', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^ID +PREFIX +NAME +SCOPES +LAST USED +EXPIRES\n/);
    expect(list.stdout).toMatch(/reporting +user:list +never +in 30 days/);
    expect(list.stdout).not.toContain(created.secret);
    const listed = okJson<{ keys: { id: string; name: string }[] }>(await owner.run(['keys', 'list', '--json']));
    expect(listed.keys.map((k) => k.name)).toEqual(['ci', 'reporting']);

    const noTty = await owner.run(['keys', 'revoke', created.id]);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/--yes/);
    expect(okJson(await owner.run(['keys', 'revoke', created.id, '--yes', '--json']))).toEqual({ revoked: true, id: created.id });
    const again = await owner.run(['keys', 'revoke', created.id, '--yes']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/NOT_FOUND/);
  });

  it('refuses a missing or unknown --scope as a usage error', async () => {
    const none = await owner.run(['keys', 'create', 'x']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--scope/);
    const junk = await owner.run(['keys', 'create', 'x', '--scope', 'nope']);
    expect(junk.code).toBe(2);
  });

  it('login --api-key-stdin saves the key (0600) and acts with it; ROSTER_API_KEY works too; a revoked key gets 401', async () => {
    const key = okJson(await owner.run(['keys', 'create', 'svc', '--scope', 'me', '--scope', 'user:list', '--json']));
    const svc = sandbox();
    const login = await svc.run(['login', '--url', app.baseUrl, '--api-key-stdin'], { input: `${key.secret}\n` });
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(/Signed in to .* as Olga Owner <olga@example\.com> \(owner\)\nAPI key saved in profile "default"/);
    expect(svc.config().profiles.default!.token).toBe(key.secret);
    expect(fs.statSync(svc.configFile).mode & 0o777).toBe(0o600);
    expect(okJson(await svc.run(['users', 'list', '--json'])).total).toBeGreaterThan(0);
    // The key holds no user:create: 403 with its code on stderr.
    const denied = await svc.run(['users', 'create', 'k@example.com', '--name', 'K', '--generate-password']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/API_KEY_FORBIDDEN/);
    // No key may manage keys.
    expect((await svc.run(['keys', 'list'])).stderr).toMatch(/API_KEY_FORBIDDEN/);

    const env = sandbox();
    const whoami = await env.run(['whoami', '--json', '--url', app.baseUrl], { env: { ROSTER_API_KEY: key.secret } });
    expect(okJson(whoami).email).toBe(OWNER.email);

    okJson(await owner.run(['keys', 'revoke', key.id, '--yes', '--json']));
    const after = await svc.run(['whoami']);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/UNAUTHENTICATED/);
  });

  it('refuses junk on --api-key-stdin without saving anything', async () => {
    const s = sandbox();
    const r = await s.run(['login', '--url', app.baseUrl, '--api-key-stdin'], { input: 'not-a-key\n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rst_/);
    expect(fs.existsSync(s.configFile)).toBe(false);
  });
});
