import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@roster/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, OWNER, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';
import { db, rejection, signIn } from './admin-users.support.ts';
import { hashOf, importCsv, userCount } from './users-import.support.ts';

let api: TestApi;
let owner: TestJar;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
});
afterAll(() => api?.close());

const run = (csv: string | Buffer, dryRun = false) => importCsv(api, owner, OWNER.email, csv, dryRun);
const BCRYPT = '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
const ARGON2I = '$argon2i$v=19$m=4096,t=3,p=1$PGCEq7UH1loWfKVIF+SntA$ZU9CFLHMc42PY/M3Vm+ZCg2FYPZS1N11Ne96fG5lPIo';
const ARGON2ID = '$argon2id$v=19$m=8192,t=1,p=2$MOR4rR118EnYjySiAL/54w$SYkJNb3ALjze2h3ej2nG2fx/wwIAYJBjI1wpt3wJI48';

describe('CSV import', () => {
  it("imports Open WebUI's sample file as is", async () => {
    const csv = fs.readFileSync(path.join(repoRoot, 'test/fixtures/import/openwebui-users.csv'));
    const s = await run(csv);
    expect(s).toMatchObject({ status: 'done', totalRows: 3, processedRows: 3, counts: { imported: 3, skipped: 0, invalid: 0 }, error: null });
    expect(s.report.items.map((r) => [r.row, r.email, r.status])).toEqual([
      [2, 'john.doe@example.com', 'imported'],
      [3, 'jane.smith@example.com', 'imported'],
      [4, 'bob.wilson@example.com', 'imported'],
    ]);
    const jane = await api.as(owner).admin.users.list({ query: 'jane.smith@' });
    expect(jane.items[0]).toMatchObject({ name: 'Jane Smith', role: 'admin', status: 'active' });
    expect(await hashOf(api, 'john.doe@example.com')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await signIn(api, 'john.doe@example.com', 'password123');
    const audit = await db(api).execute<{ n: number }[]>(`select count(*)::int as n from audit_log where action = 'user.create' and details->>'via' = 'import'`);
    expect(audit[0]!.n).toBe(3);
  });

  // A PHC string holds commas (m=…,t=…,p=…): in CSV it is quoted.
  it('bcrypt and Argon2 hashes sign in with the old password and become Roster argon2id on that sign-in', async () => {
    const csv = ['name,EMAIL,password,Role,password_hash', `Bee,bee@example.com,,user,${BCRYPT}`, `Ari,ari@example.com,,user,"${ARGON2I}"`, `Ida,ida@example.com,,user,"${ARGON2ID}"`].join('\n');
    const s = await run(csv);
    expect(s.report.items.filter((r) => r.status !== "imported")).toEqual([]);
    expect(s.counts).toMatchObject({ imported: 3, invalid: 0 });
    expect(await hashOf(api, 'bee@example.com')).toBe(BCRYPT);
    expect((await rejection(signIn(api, 'bee@example.com', 'U*V'))).appCode).toBe('INVALID_CREDENTIALS');
    expect(await hashOf(api, 'bee@example.com')).toBe(BCRYPT);
    for (const [email, pw] of [['bee@example.com', 'U*U'], ['ari@example.com', 'argon-old-pass'], ['ida@example.com', 'argon-id-pass']]) {
      await signIn(api, email!, pw!);
      expect(await hashOf(api, email!)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      await signIn(api, email!, pw!);
    }
  });

  it('reports bad rows and duplicates per row, imports the valid ones; a second run imports nothing new', async () => {
    await api.as(owner).admin.groups.create({ name: 'Staff' });
    const csv =
      '\uFEFFName,Email,Password,Role,quota_gib,storage_label,groups\r\n' +
      '"Comma, Quote ""Q""",cq@example.com,long enough pw,user,1.5,cq-label,staff\r\n' +
      '"Multi\nLine",ml@example.com,long enough pw,USER,,,\r\n' +
      'Dup,CQ@example.com,long enough pw,user,,,\r\n' +
      'Taken,owner@example.com,long enough pw,user,,,\r\n' +
      'Bad,not-an-email,long enough pw,user,,,\r\n' +
      'Short,short@example.com,short,user,,,\r\n' +
      'Role,role@example.com,long enough pw,superuser,,,\r\n' +
      'Boss,boss@example.com,long enough pw,owner,,,\r\n' +
      'Hash,hash@example.com,,user,,,\r\n' +
      'Grp,grp@example.com,long enough pw,user,,,Nope\r\n' +
      "'=Formula,formula@example.com,long enough pw,pending,-1,,\r\n" +
      "'=Formula,formula2@example.com,long enough pw,pending,,,\r\n";
    const before = await userCount(api);
    const s = await run(csv);
    const byRow = Object.fromEntries(s.report.items.map((r) => [r.row, `${r.status}:${r.code ?? ''}`]));
    expect(byRow).toEqual({
      2: 'imported:', 3: 'imported:', 4: 'skipped:DUPLICATE_EMAIL', 5: 'skipped:EMAIL_TAKEN', 6: 'invalid:INVALID_EMAIL', 7: 'invalid:PASSWORD_POLICY',
      8: 'invalid:INVALID_ROLE', 9: 'invalid:OWNER_PROTECTED', 10: 'invalid:PASSWORD_REQUIRED', 11: 'invalid:GROUP_NOT_FOUND', 12: 'invalid:INVALID_QUOTA', 13: 'imported:',
    });
    expect(s.report.items.find((r) => r.row === 6)).toMatchObject({ email: 'not-an-email', message: expect.stringContaining('not-an-email') });
    expect(s.counts).toEqual({ imported: 3, valid: 0, skipped: 2, invalid: 7 });
    expect(await userCount(api)).toBe(before + 3);
    const [cq] = (await api.as(owner).admin.users.list({ query: 'cq@' })).items;
    expect(cq).toMatchObject({ name: 'Comma, Quote "Q"', quotaBytes: 1.5 * 1024 ** 3, storageLabel: 'cq-label', groups: [expect.objectContaining({ name: 'Staff' })] });
    expect((await api.as(owner).admin.users.list({ query: 'ml@' })).items[0]!.name).toBe('Multi\nLine');
    expect((await api.as(owner).admin.users.list({ query: 'formula2@' })).items[0]).toMatchObject({ name: '=Formula', role: 'pending' });

    const again = await run(csv);
    expect(again.counts).toEqual({ imported: 0, valid: 0, skipped: 5, invalid: 7 });
    expect(await userCount(api)).toBe(before + 3);
  });

  it('a dry run validates and reports, and writes no user', async () => {
    const before = await userCount(api);
    const s = await run('Name,Email,Password,Role\nDry,dry@example.com,long enough pw,user\nDry2,john.doe@example.com,long enough pw,user\nX,x,y,z\n', true);
    expect(s).toMatchObject({ dryRun: true, status: 'done', counts: { imported: 0, valid: 1, skipped: 1, invalid: 1 } });
    expect(await userCount(api)).toBe(before);
  });

  describe('malformed files fail naming the row and import nothing', () => {
    const cases: [string, string | Buffer, string, number][] = [
      ['bad quoting', 'Name,Email,Password,Role\nA,a1@example.com,long enough pw,user\n"B"x,b1@example.com,long enough pw,user\n', 'CSV_MALFORMED', 3],
      ['an unclosed quote', 'Name,Email,Password,Role\nA,a2@example.com,long enough pw,user\n"B,b2@example.com,long enough pw,user\n', 'CSV_MALFORMED', 3],
      ['missing columns', 'Name,Mail,Password\nA,a3@example.com,long enough pw\n', 'MISSING_COLUMNS', 1],
      ['a 10 MB field', `Name,Email,Password,Role\nA,a4@example.com,long enough pw,user\n${'x'.repeat(10 * 1024 ** 2)},b4@example.com,pw,user\n`, 'FIELD_TOO_LARGE', 3],
      ['not UTF-8', Buffer.concat([Buffer.from('Name,Email,Password,Role\nA,a5@example.com,long enough pw,user\nJos'), Buffer.from([0xe9]), Buffer.from(',b5@example.com,long enough pw,user\n')]), 'NOT_UTF8', 3],
      ['an empty file', '', 'EMPTY_FILE', 1],
    ];
    it.each(cases)('%s', async (_name, csv, code, row) => {
      const before = await userCount(api);
      const s = await run(csv);
      expect(s.status).toBe('failed');
      expect(s.error).toMatchObject({ code, row });
      expect(s.error!.message).toMatch(new RegExp(`(row|line) ${row}`));
      expect(s.counts).toEqual({ imported: 0, valid: 0, skipped: 0, invalid: 0 });
      expect(await userCount(api)).toBe(before);
    });
  });

  it('importStatus refuses an unknown job id with NOT_FOUND', async () => {
    expect((await rejection(api.as(owner).admin.users.importStatus({ jobId: '00000000-0000-4000-8000-000000000000' }))).appCode).toBe('NOT_FOUND');
  });
});
