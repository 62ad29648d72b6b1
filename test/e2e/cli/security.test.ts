import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliSandbox, createOwner, hasScript, okJson, OWNER, runInTerminal } from '../../support/cli.ts';
import { startApp, type RunningApp } from '../../support/server.ts';

// Every step spawns the real binary: about 0.4 s of CPU each, far more on a busy machine.
vi.setConfig({ testTimeout: 240_000 });

let app: RunningApp;
let owner: CliSandbox;
const sandboxes: CliSandbox[] = [];

/** Eleven wrong sign-ins over HTTP: ten failures, then the hold. */
async function hold(email: string) {
  for (let i = 0; i < 11; i++) {
    const res = await fetch(`${app.baseUrl}/api/trpc/auth.signIn`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: `wrong-${i}` }),
    });
    await res.text();
    if (res.status === 429) return;
  }
  throw new Error(`${email} was not held`);
}

beforeAll(async () => {
  app = await startApp();
  await createOwner(app.baseUrl);
  owner = new CliSandbox();
  sandboxes.push(owner);
  const r = await owner.run(['login', '--url', app.baseUrl, '--email', OWNER.email, '--password-stdin'], { input: OWNER.password });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  await app?.stop();
  for (const s of sandboxes) s.remove();
});

describe('roster security', () => {
  it('lists nothing, then a held account with its end, as a table and as JSON', async () => {
    const empty = await owner.run(['security', 'holds']);
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toBe('Nothing is held.\n');

    await hold('mallory-target@example.com');
    const human = await owner.run(['security']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^KIND +HELD +USER +ENDS\n/);
    expect(human.stdout).toMatch(/\naccount +mallory-target@example\.com +no such account +in 1[45] minutes \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\)\n/);

    const json = okJson(await owner.run(['security', 'holds', '--json']));
    expect(json).toEqual({ holds: [{ kind: 'account', key: 'mallory-target@example.com', until: expect.any(String), user: null }] });
  });

  it('refuses to release without --yes when it cannot ask, and with a usage error for junk', async () => {
    const noTty = await owner.run(['security', 'release', 'mallory-target@example.com']);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/--yes/);
    const junk = await owner.run(['security', 'release', 'not-an-address', '--yes']);
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/^error USAGE: "not-an-address" is neither an email nor an IP address/);
    expect(okJson(await owner.run(['security', 'holds', '--json'])).holds).toHaveLength(1);
  });

  it.skipIf(!hasScript)('asks on a terminal and releases nothing unless confirmed', async () => {
    const r = await runInTerminal(owner, ['security', 'release', 'mallory-target@example.com'], [[/\[y\/N\] $/, 'n']]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Let mallory-target@example\.com try passwords again now\? \[y\/N\]/);
    expect(okJson(await owner.run(['security', 'holds', '--json'])).holds).toHaveLength(1);
  });

  it('releases with --yes (JSON), after which the account may try again; a second release is NOT_FOUND', async () => {
    const r = okJson(await owner.run(['security', 'release', 'Mallory-Target@example.com', '--yes', '--json']));
    expect(r).toEqual({ released: true, kind: 'account', key: 'Mallory-Target@example.com' });
    expect(okJson(await owner.run(['security', 'holds', '--json'])).holds).toEqual([]);
    const again = await owner.run(['security', 'release', 'mallory-target@example.com', '--yes']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error NOT_FOUND: That account is not held/);
  });

  it('tells a held user RATE_LIMITED with a hint, and shows the limits in `roster settings`', async () => {
    await hold(OWNER.email);
    const s = new CliSandbox();
    sandboxes.push(s);
    const r = await s.run(['login', '--url', app.baseUrl, '--email', OWNER.email, '--password-stdin'], { input: OWNER.password });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error RATE_LIMITED: Too many attempts; try again in 1[45] minutes\nhint: .*roster security release/);
    // The owner's existing session still works (a hold refuses password checks, not sessions).
    expect(okJson(await owner.run(['security', 'release', OWNER.email, '--yes', '--json'])).released).toBe(true);
    const settings = okJson(await owner.run(['settings', 'get', '--json']));
    expect(settings).toMatchObject({ lockoutFailures: 10, lockoutWindowMinutes: 15, lockoutWaitMinutes: 15, lockoutMaxWaitMinutes: 240, ipAttemptLimit: 100 });
    const set = okJson(await owner.run(['settings', 'set', 'lockoutFailures=5', '--json']));
    expect(set.after.lockoutFailures).toBe(5);
  });
});
