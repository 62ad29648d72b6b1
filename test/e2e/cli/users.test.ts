import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliSandbox, createOwner, insertUser, OWNER } from '../../support/cli.ts';
import { startApp, type RunningApp } from '../../support/server.ts';

// Every step spawns the real binary: about 0.4 s of CPU each, far more on a busy CI machine.
vi.setConfig({ testTimeout: 120_000 });

let app: RunningApp;
let owner: CliSandbox;
let member: CliSandbox;
const MEMBER = { email: 'uma@example.com', name: 'Uma User', password: 'another long password', role: 'user' as const };

const signIn = async (s: CliSandbox, who: { email: string; password: string }) => {
  const r = await s.run(['login', '--url', app.baseUrl, '--email', who.email, '--password-stdin'], { input: who.password });
  expect(r.code, r.stderr).toBe(0);
};

beforeAll(async () => {
  app = await startApp();
  await createOwner(app.baseUrl);
  await insertUser(app.databaseUrl, MEMBER);
  owner = new CliSandbox();
  member = new CliSandbox();
  await signIn(owner, OWNER);
  await signIn(member, MEMBER);
});
afterAll(async () => {
  await app?.stop();
  owner?.remove();
  member?.remove();
});

describe('roster users list', () => {
  it('prints {items,total} as JSON, owner included', async () => {
    const r = await owner.run(['users', 'list', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['items', 'total']);
    expect(out.total).toBe(2);
    expect(out.items).toContainEqual(expect.objectContaining({ email: OWNER.email, role: 'owner', status: 'active' }));
    expect(r.stdout).not.toMatch(/passwordHash|password_hash|token/i);
  });

  it('prints an aligned table for people', async () => {
    const r = await owner.run(['users', 'list']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+EMAIL\s+ROLE\s+STATUS\s+LAST SEEN$/);
    const emailAt = lines[0]!.indexOf('EMAIL');
    const rows = lines.filter((l) => l.includes('@example.com'));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.indexOf('@') > emailAt && row[emailAt - 1] === ' ').toBe(true);
    expect(lines.at(-1)).toBe('2 users');
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('filters with --query and --role; no match is an empty page, not an error', async () => {
    const none = await owner.run(['users', 'list', '--query', 'zzz-nobody', '--json']);
    expect(none.code).toBe(0);
    expect(JSON.parse(none.stdout)).toEqual({ items: [], total: 0 });
    const noneHuman = await owner.run(['users', 'list', '-q', 'zzz-nobody']);
    expect(noneHuman.stdout).toBe('No users match "zzz-nobody".\n');
    const members = JSON.parse((await owner.run(['users', 'list', '--role', 'user', '--json'])).stdout);
    expect(members.items.map((u: { email: string }) => u.email)).toEqual([MEMBER.email]);
    const paged = JSON.parse((await owner.run(['users', 'list', '--page-size', '1', '--page', '2', '--json'])).stdout);
    expect(paged).toMatchObject({ total: 2, items: [expect.anything()] });
  });

  it('refuses a non-admin with FORBIDDEN and exit 1', async () => {
    const r = await member.run(['users', 'list']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error FORBIDDEN: .*\nhint: /);
  });

  it('refuses a signed-out call with UNAUTHENTICATED and exit 1', async () => {
    const s = new CliSandbox();
    const r = await s.run(['users', 'list', '--json', '--url', app.baseUrl]);
    s.remove();
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error UNAUTHENTICATED: .*\nhint: run `roster login --url /);
  });

  it('rejects bad flag values locally as usage errors', async () => {
    for (const args of [['--role', 'boss'], ['--page-size', '500'], ['--page', 'two'], ['--frobnicate']]) {
      const r = await owner.run(['users', 'list', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^error USAGE: /);
    }
  });
});

describe('roster call', () => {
  it('reaches a procedure by name, queries and mutations alike', async () => {
    const r = await owner.run(['call', 'admin.users.list', '-F', 'pageSize=1', '-f', 'query=olga']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ total: 1, items: [{ email: OWNER.email }] });
    const viaStdin = await owner.run(['call', 'admin.users.list', '--input', '-'], { input: '{"roles":["user"]}' });
    expect(JSON.parse(viaStdin.stdout).items[0].email).toBe(MEMBER.email);
    const anonymous = new CliSandbox();
    const status = await anonymous.run(['call', 'setup.status', '--url', app.baseUrl]);
    anonymous.remove();
    expect(JSON.parse(status.stdout)).toEqual({ hasOwner: true, tokenRequired: false });
  });

  it('reports server validation field by field, and unknown procedures', async () => {
    const bad = await owner.run(['call', 'admin.users.list', '-F', 'pageSize=1000']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error VALIDATION: /);
    expect(bad.stderr).toMatch(/\n {2}pageSize: /);
    const missing = await owner.run(['call', 'admin.nothing.here']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error NOT_FOUND: this server has no procedure "admin.nothing.here"/);
  });
});
