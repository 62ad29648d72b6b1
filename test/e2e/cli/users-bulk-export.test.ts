/** `roster users export` and `roster users bulk` against the built app and a real worker, as an operator runs them. */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliSandbox, createOwner, hasScript, insertUser, okJson, OWNER, runInTerminal } from '../../support/cli.ts';
import { insertManyUsers } from '../../support/database.ts';
import { startApp, type RunningApp } from '../../support/server.ts';
import { startOwnRedis } from '../../support/worker.ts';

vi.setConfig({ testTimeout: 90_000 });

let app: RunningApp;
let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let owner: CliSandbox;
let plain: CliSandbox;
const sql = async <T>(text: string, values: unknown[] = []): Promise<T> => {
  const c = new pg.Client({ connectionString: app.databaseUrl });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T;
  } finally {
    await c.end();
  }
};

beforeAll(async () => {
  redis = await startOwnRedis();
  app = await startApp({ worker: true, env: { REDIS_URL: redis.url } });
  await createOwner(app.baseUrl);
  await insertManyUsers(app.databaseUrl, 30, { prefix: 'Crew Member' });
  await insertUser(app.databaseUrl, { email: 'formula@example.com', name: '=1+1', password: 'a long enough password', role: 'user' });
  await insertUser(app.databaseUrl, { email: 'just-user@example.com', name: 'Just User', password: 'a long enough password', role: 'user' });
  owner = new CliSandbox();
  plain = new CliSandbox();
  for (const [box, email, password] of [[owner, OWNER.email, OWNER.password], [plain, 'just-user@example.com', 'a long enough password']] as const) {
    const r = await box.run(['login', '--url', app.baseUrl, '--email', email, '--password-stdin'], { input: password });
    expect(r.code, r.stderr).toBe(0);
  }
});
afterAll(async () => {
  await app?.stop();
  await redis?.stop();
  owner?.remove();
  plain?.remove();
});

describe('roster users export', () => {
  it('writes the CSV to stdout, filtered like users list, with the formula guard', async () => {
    const r = await owner.run(['users', 'export', '--query', 'crew member 001']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('id,name,email,role,status,created_at,last_active_at,quota_bytes,usage_bytes,groups');
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(Array.from({ length: 10 }, (_, i) => `crewmember001${i}@many.test`));
    expect(r.stderr).toBe(''); // no progress bar without a terminal
    const f = await owner.run(['users', 'export', '--query', 'formula']);
    expect(f.stdout).toContain(`,'=1+1,formula@example.com,user,active,`);
  });

  it('--out saves the file and says so; an existing file is kept unless --force; --json reports it', async () => {
    const out = path.join(owner.home, 'users.csv');
    const r = await owner.run(['users', 'export', '--out', out, '--status', 'active', '--role', 'owner']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`✓ Saved ${out}: 1 line after the header\n`);
    expect(fs.readFileSync(out, 'utf8')).toContain(`,${OWNER.email},owner,active,`);
    const again = await owner.run(['users', 'export', '--out', out]);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toContain('FILE_EXISTS');
    const json = okJson(await owner.run(['users', 'export', '--out', out, '--force', '--json']));
    expect(json).toMatchObject({ path: out, lines: 33, name: expect.stringMatching(/^roster-users-\d{8}-\d{6}\.csv$/) });
  });

  it('refuses a non-admin with FORBIDDEN (exit 1, stderr)', async () => {
    const r = await plain.run(['users', 'export']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('FORBIDDEN');
  });
});

describe('roster users bulk', () => {
  it('refuses without --yes when there is no terminal, and on bad usage (exit 2)', async () => {
    const r = await owner.run(['users', 'bulk', 'suspend', '--query', 'crew', '--reason', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CONFIRMATION_REQUIRED');
    expect((await owner.run(['users', 'bulk', 'suspend', '--query', 'crew', '--yes'])).code).toBe(2);
    expect((await owner.run(['users', 'bulk', 'explode', '--query', 'crew', '--yes'])).code).toBe(2);
    expect((await sql<{ n: number }[]>(`select count(*)::int as n from users where status = 'suspended'`))[0]!.n).toBe(0);
  });

  it('suspends a filter with --yes --json: the preview, the job results, the owner skipped', async () => {
    const out = okJson(await owner.run(['users', 'bulk', 'suspend', '--query', 'crew member 002', '--reason', 'bulk test', '--yes', '--json']));
    expect(out.preview).toMatchObject({ total: 10, allowed: 10, refusedCount: 0 });
    expect(out.job).toMatchObject({ state: 'completed', progress: { done: 10, total: 10 }, summary: { done: 10, skipped: 0, failed: 0 } });
    const rows = await sql<{ status: string; suspended_reason: string }[]>(`select status, suspended_reason from users where email like 'crewmember002%'`);
    expect(rows.every((r) => r.status === 'suspended' && r.suspended_reason === 'bulk test')).toBe(true);
  });

  it('takes --ids FILE; the owner among them is refused in the preview and skipped by the job', async () => {
    const ids = await sql<{ id: string }[]>(`select id from users where email like 'crewmember001%' or role = 'owner' order by email`);
    const file = path.join(owner.home, 'ids.txt');
    fs.writeFileSync(file, `# chosen\n${ids.map((r) => r.id).join('\n')}\n`);
    const r = await owner.run(['users', 'bulk', 'setQuota', '--ids', file, '--quota', '3', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    // Your own quota is yours to set: only suspension and deletion refuse yourself.
    expect(r.stderr).toContain('setQuota: 11 users selected, 11 to change, 0 refused');
    expect(r.stdout).toContain('✓ 11 users done, 0 skipped, 0 failed');
    const denied = await owner.run(['users', 'bulk', 'suspend', '--ids', file, '--reason', 'x', '--yes']);
    expect(denied.code, denied.stderr).toBe(0);
    expect(denied.stderr).toMatch(/olga@example\.com\s+SELF_ACTION\s+You cannot do that to your own account/);
    expect(denied.stdout).toMatch(/10 users done, 1 skipped, 0 failed[\s\S]*olga@example\.com\s+skipped\s+SELF_ACTION/);
    expect((await sql<{ status: string }[]>(`select status from users where role = 'owner'`))[0]!.status).toBe('active');
  });

  it.runIf(hasScript)('asks on a terminal, shows the refusals, and starts only after yes', async () => {
    // 0010–0029 are suspended by now; 0001–0009 and 0030 are not.
    const r = await runInTerminal(owner, ['users', 'bulk', 'unsuspend', '--query', 'crew member 00'], [[/unsuspend 20 users\? \[y\/N\]/, 'y']]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('unsuspend: 30 users selected, 20 to change, 10 refused');
    expect(r.stdout).toMatch(/crewmember0001@many\.test\s+NOT_SUSPENDED\s+This user is not suspended/);
    // The job goes over the whole selection: the refused ones are skipped again, with their reason.
    expect(r.stdout).toContain('30 / 30'); // the progress bar, on a terminal only
    expect(r.stdout).toContain('20 users done, 10 skipped, 0 failed');
  });
});
