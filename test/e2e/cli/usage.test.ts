import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '@roster/db/embedded-postgres';
import { CliSandbox } from '../../support/cli.ts';

// Every step spawns the real binary: about 0.4 s of CPU each, far more on a busy CI machine.
vi.setConfig({ testTimeout: 120_000 });

const s = new CliSandbox();
afterAll(() => s.remove());

describe('help', () => {
  const levels = [
    [], ['users'], ['users', 'list'], ['login'], ['logout'], ['whoami'], ['profiles'], ['profiles', 'use'], ['call'],
    ['users', 'create'], ['users', 'delete'], ['users', 'invitation'], ['users', 'invitation', 'resend'],
    ['settings'], ['settings', 'set'], ['me'], ['me', 'status', 'set'], ['me', 'sessions'],
    ['files'], ['files', 'upload'], ['stats'], ['jobs'], ['jobs', 'run'], ['audit'], ['audit', 'export'],
  ];
  it.each(levels.map((l) => [l.join(' ') || '(root)', l]))('--help works for %s', async (_, level) => {
    const r = await s.run([...(level as string[]), '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Usage');
    expect(r.stdout).toContain(`roster ${(level as string[]).join(' ')}`.trim());
    expect(r.stdout).toMatch(/Examples\n {2}\$ roster /);
  });

  it('also answers `roster help users list`, bare `roster` and bare nouns', async () => {
    expect((await s.run(['help', 'users', 'list'])).stdout).toContain('roster users list [flags]');
    expect((await s.run([])).stdout).toContain('roster <noun> <verb>');
    const noun = await s.run(['users']);
    expect(noun.code).toBe(0);
    expect(noun.stdout).toMatch(/Commands\n {2}list /);
  });

  it('prints the version', async () => {
    expect((await s.run(['--version'])).stdout).toMatch(/^roster \d+\.\d+\.\d+\n$/);
  });
});

describe('usage errors exit 2 with a hint, nothing on stdout', () => {
  it.each([
    [['usrs', 'list'], /unknown command "usrs" for "roster"\nhint: did you mean "roster users"\?/],
    [['users', 'lst'], /unknown command "lst" for "roster users"\nhint: did you mean "roster users list"\?/],
    [['whoami', '--jsn'], /unknown flag --jsn for "roster whoami"\nhint: did you mean --json\?/],
    [['users', 'list', '--query'], /flag --query needs a value/],
    [['whoami', 'extra'], /unexpected argument "extra"/],
    [['call'], /"roster call" needs PROCEDURE/],
    [['whoami', '--url', 'ftp://example.com'], /--url must be an http\(s\) URL/],
  ])('%j', async (args, message) => {
    const r = await s.run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error USAGE: /);
    expect(r.stderr).toMatch(message);
  });
});

describe('failures before reaching a server exit 1', () => {
  it('says how to configure a server when none is known', async () => {
    const r = await s.run(['whoami']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error NOT_CONFIGURED: .*\nhint: pass --url URL, set ROSTER_URL/);
  });

  it('says when nothing listens at the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = await s.run(['whoami', '--json'], { env: { ROSTER_URL: url } });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error UNREACHABLE: cannot reach ${url} (ECONNREFUSED)`);
  });
});

describe('colour', () => {
  it('is off for pipes and with NO_COLOR, on with FORCE_COLOR', async () => {
    expect((await s.run(['--help'])).stdout).not.toContain('\x1b[');
    expect((await s.run(['--help'], { env: { FORCE_COLOR: '1' } })).stdout).toContain('\x1b[1m');
    const both = await s.run(['--help'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(both.stdout).not.toContain('\x1b[');
    expect(both.stderr).toBe('');
  });
});

/** The machines ship an older Node; the binary must find the Node 22 that `npm start` installs. */
const oldNode = ['/usr/bin/node', '/bin/node'].find((n) => {
  if (!fs.existsSync(n)) return false;
  const [major, minor] = execFileSync(n, ['-p', 'process.versions.node']).toString().split('.').map(Number);
  return major! < 22 || (major === 22 && minor! < 17);
});

describe.skipIf(!oldNode)('on an older Node', () => {
  it('re-runs itself with the Node 22 from the tools folder', async () => {
    const tools = path.join(s.home, 'tools');
    fs.mkdirSync(path.join(tools, 'node22/node_modules/.bin'), { recursive: true });
    fs.symlinkSync(process.execPath, path.join(tools, 'node22/node_modules/.bin/node'));
    const r = await s.run(['--version'], { node: oldNode, env: { ROSTER_TOOLS_DIR: tools } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^roster \d/);
  });

  it('explains what to do when there is none', async () => {
    const r = await s.run(['--version'], { node: oldNode, env: { ROSTER_TOOLS_DIR: path.join(s.home, 'no-tools') } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error NODE: roster needs Node\.js >= 22\.17 \(this is v\d+/);
    expect(r.stderr).toContain('npm start');
  });
});
