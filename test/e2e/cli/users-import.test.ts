import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@roster/config';
import type { RedisServer } from '@roster/jobs/redis-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliSandbox, createOwner, hasScript, okJson, OWNER, runInTerminal } from '../../support/cli.ts';
import { startApp, type RunningApp } from '../../support/server.ts';
import { startOwnRedis } from '../../support/worker.ts';

vi.setConfig({ testTimeout: 240_000 });

/** Issue 12's CSV import from the command line, against the built app and its worker: the acceptance script's file, exit codes, --json, --report. */

let redis: RedisServer;
let app: RunningApp;
const sandboxes: CliSandbox[] = [];
let owner: CliSandbox;
const PW = 'a long enough password';

async function signedIn(email: string, password: string) {
  const s = new CliSandbox();
  sandboxes.push(s);
  const r = await s.run(['login', '--url', app.baseUrl, '--email', email, '--password-stdin'], { input: password });
  expect(r.code, r.stderr).toBe(0);
  return s;
}
const write = (name: string, text: string | Buffer) => {
  const f = path.join(owner.home, name);
  fs.writeFileSync(f, text);
  return f;
};
const total = async () => okJson(await owner.run(['users', 'list', '--status', 'active,suspended', '--json'])).total as number;

// The acceptance script's file (../shared/acceptance/bulk), CRLF and all.
const BULK_CSV =
  [
    'Name,Email,Password,Role,password_hash',
    'Ann Import,ann@example.com,ann-password-1,user,',
    '"Quote, Name",quote@example.com,quote-password-1,user,',
    'Dup,ANN@example.com,dup-password-1,user,',
    'Bad,not-an-email,bad-password-1,user,',
    '"=HYPERLINK(""x"")",formula@example.com,formula-password-1,pending,',
    'Hash User,hash@example.com,,user,$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW',
  ].join('\r\n') + '\r\n';

beforeAll(async () => {
  redis = await startOwnRedis();
  app = await startApp({ worker: true, env: { REDIS_URL: redis.url } });
  await createOwner(app.baseUrl);
  owner = await signedIn(OWNER.email, OWNER.password);
});
afterAll(async () => {
  await app?.stop();
  await redis?.stop();
  for (const s of sandboxes) s.remove();
});

describe('roster users import', () => {
  it('imports the acceptance file: 4 users, the bad row reported (exit 1), the duplicate skipped; a re-run changes nothing', async () => {
    const file = write('users.csv', BULK_CSV);
    const reportFile = path.join(owner.home, 'report.csv');
    const r = await owner.run(['users', 'import', file, '--json', '--report', reportFile]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ dryRun: false, totalRows: 6, counts: { imported: 4, skipped: 1, invalid: 1 } });
    expect(out.report.map((x: { row: number; status: string; code: string | null }) => [x.row, x.status, x.code])).toEqual([
      [2, 'imported', null], [3, 'imported', null], [4, 'skipped', 'DUPLICATE_EMAIL'], [5, 'invalid', 'INVALID_EMAIL'], [6, 'imported', null], [7, 'imported', null],
    ]);
    expect(out.report[3].email).toBe('not-an-email');
    expect(fs.readFileSync(reportFile, 'utf8')).toMatch(/^row,email,status,code,message\r\n2,ann@example.com,imported,,\r\n/);
    expect(await total()).toBe(5);
    const quote = okJson(await owner.run(['users', 'list', '--query', 'quote@', '--json'])).items[0];
    expect(quote.name).toBe('Quote, Name');
    const again = await owner.run(['users', 'import', file, '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).counts).toEqual({ imported: 0, valid: 0, skipped: 5, invalid: 1 });
    expect(await total()).toBe(5);
    // The bcrypt user signs in with the old password.
    await signedIn('hash@example.com', 'U*U');
  });

  it('human output lists only the rows not imported; exit 0 when only duplicates were skipped', async () => {
    const file = write('dups.csv', 'name,email,password,role\nAnn Again,ann@example.com,ann-password-1,user\nNew One,new1@example.com,new-password-1,user\n');
    const r = await owner.run(['users', 'import', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ROW\s+EMAIL\s+STATUS\s+CODE/);
    expect(r.stdout).toMatch(/2\s+ann@example.com\s+skipped\s+EMAIL_TAKEN/);
    expect(r.stdout).not.toMatch(/new1@example.com/);
    expect(r.stdout).toMatch(/Imported 1 user of 2 rows: 1 skipped, 0 invalid/);
  });

  it("--dry-run reports and writes nothing; Open WebUI's sample passes", async () => {
    const before = await total();
    const r = await owner.run(['users', 'import', path.join(repoRoot, 'test/fixtures/import/openwebui-users.csv'), '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dryRun: true, counts: { valid: 3, imported: 0 } });
    expect(await total()).toBe(before);
  });

  it('a malformed file fails with its code and row on stderr, exit 1, and imports nothing', async () => {
    const before = await total();
    const r = await owner.run(['users', 'import', write('bad.csv', 'Name,Email,Password,Role\nA,a@example.com,long enough pw,user\n"B"x,b@example.com,long enough pw,user\n'), '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error CSV_MALFORMED: row 3/);
    expect(r.stderr).toMatch(/hint: /);
    expect(await total()).toBe(before);
  });

  it('usage errors exit 2; a missing file too', async () => {
    expect((await owner.run(['users', 'import'])).code).toBe(2);
    const r = await owner.run(['users', 'import', path.join(owner.home, 'nope.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error USAGE: cannot read .*nope.csv: no such file/);
  });

  it('the endpoint answers 401 without a session and 403 to a user; non-admin CLI gets FORBIDDEN', async () => {
    const anon = await fetch(`${app.baseUrl}/api/users/import`, { method: 'POST', body: 'Name,Email,Password,Role\n', headers: { 'content-type': 'text/csv' } });
    expect(anon.status).toBe(401);
    expect((await anon.json()).error.appCode).toBe('UNAUTHENTICATED');
    okJson(await owner.run(['users', 'create', 'plain@example.com', '--name', 'Plain', '--password-stdin', '--no-must-change', '--json'], { input: PW }));
    const plain = await signedIn('plain@example.com', PW);
    const r = await plain.run(['users', 'import', write('x.csv', 'Name,Email,Password,Role\n')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error FORBIDDEN: /);
    const token = plain.config().profiles[plain.config().currentProfile ?? 'default']!.token!;
    const res = await fetch(`${app.baseUrl}/api/users/import`, { method: 'POST', body: 'x', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } });
    expect(res.status).toBe(403);
  });

  it.skipIf(!hasScript)('shows a progress bar on a terminal only', async () => {
    const file = write('tty.csv', 'Name,Email,Password,Role\n' + Array.from({ length: 30 }, (_, i) => `T${i},tty${i}@example.com,long enough pw,user`).join('\n') + '\n');
    const r = await runInTerminal(owner, ['users', 'import', file, '--dry-run'], []);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rows/);
    const piped = await owner.run(['users', 'import', file, '--dry-run']);
    expect(piped.stderr).toBe('');
  });
});
