import { Readable } from 'node:stream';
import { depsFor } from '@roster/api';
import { findImport, importSpoolPath, reportPage, runImport, startImport, type Actor } from '@roster/core';
import { User, type EntityManager } from '@roster/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, OWNER, withOwner, type TestApi, type TestJar } from '@roster/test/support/api';
import { db } from './admin-users.support.ts';
import { userCount } from './users-import.support.ts';

/**
 * Batches are written two at a time but committed in file order
 * (core/imports/batch-writes.ts): a file of several batches imports every
 * row once, and when a batch fails, no later batch commits, so the retried
 * job resumes exactly after the last committed one.
 */
let api: TestApi;
let owner: TestJar;
beforeAll(async () => {
  api = await createTestApi();
  owner = await withOwner(api);
});
afterAll(() => api?.close());

const BCRYPT = '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
const em = () => api.services.orm.em.fork() as EntityManager;
const csvOf = (prefix: string, rows: number, extra: string[] = []) =>
  ['Name,Email,Password,Role,password_hash', ...Array.from({ length: rows }, (_, i) => `"${prefix} ${i}, Batch",${prefix}${i}@batches.test,,user,${BCRYPT}`), ...extra].join('\r\n');

async function start(csv: string) {
  const deps = depsFor(api.services, em(), { headers: new Headers(), ip: null, secure: false, cookies: owner });
  const actor = (await em().findOneOrFail(User, { email: OWNER.email })) as Actor;
  const { jobId } = await startImport(deps, actor, { fileName: 'users.csv', dryRun: false, size: null, body: Readable.from([Buffer.from(csv)]) });
  return { jobId, run: () => runImport({ em: em() }, jobId, importSpoolPath(api.services.dataDir, jobId)) };
}
const imported = async (like: string) =>
  (await db(api).execute<{ n: number }[]>(`select count(*)::int as n from users where email like ?`, [like]))[0]!.n;
const audited = async (jobId: string) =>
  (await db(api).execute<{ n: number }[]>(`select count(*)::int as n from audit_log where action = 'user.create' and details->>'importId' = ?`, [jobId]))[0]!.n;

describe('CSV import in batches', () => {
  it('imports a file of several batches once each, with duplicates across batches reported', async () => {
    const before = await userCount(api);
    // 4,500 rows: five batches; the last rows repeat emails of the first batch.
    const { jobId, run } = await start(csvOf('many', 4498, ['Again,many3@batches.test,,user,' + BCRYPT, 'Again,MANY4000@batches.test,,user,' + BCRYPT]));
    const counts = await run();
    expect(counts).toEqual({ imported: 4498, valid: 0, skipped: 2, invalid: 0 });
    expect(await userCount(api)).toBe(before + 4498);
    expect(await audited(jobId)).toBe(4498);
    const report = await reportPage(em(), jobId, 0, 10_000);
    expect(report.map((r) => r.row)).toEqual(Array.from({ length: 4500 }, (_, i) => i + 2));
    expect(report.slice(-2).map((r) => `${r.status}:${r.code}`)).toEqual(['skipped:DUPLICATE_EMAIL', 'skipped:DUPLICATE_EMAIL']);
    expect(await findImport(em(), jobId)).toMatchObject({ processedRows: 4500, counts });
  });

  it('a failing batch stops every later one; the retry resumes after the last committed batch', async () => {
    // A real constraint in PostgreSQL refuses one row of the third batch (rows 2,001–3,000).
    await db(api).execute(`create function refuse_import_row() returns trigger language plpgsql as $$
      begin if new.email = 'fail2500@batches.test' then raise exception 'refused for the test'; end if; return new; end $$`);
    await db(api).execute(`create trigger refuse_import_row before insert on users for each row execute function refuse_import_row()`);
    const { jobId, run } = await start(csvOf('fail', 5000));
    await expect(run()).rejects.toThrow(/refused for the test/);
    expect(await findImport(em(), jobId)).toMatchObject({ status: 'running', processedRows: 2000, counts: { imported: 2000 } });
    expect(await imported('fail%@batches.test')).toBe(2000);
    expect(await audited(jobId)).toBe(2000);
    expect((await reportPage(em(), jobId, 0, 10_000)).length).toBe(2000);

    await db(api).execute(`drop trigger refuse_import_row on users`);
    expect(await run()).toEqual({ imported: 5000, valid: 0, skipped: 0, invalid: 0 });
    expect(await imported('fail%@batches.test')).toBe(5000);
    expect(await audited(jobId)).toBe(5000);
    const report = await reportPage(em(), jobId, 0, 10_000);
    expect(report.map((r) => r.row)).toEqual(Array.from({ length: 5000 }, (_, i) => i + 2));
    expect(report.every((r) => r.status === 'imported')).toBe(true);
    expect(await findImport(em(), jobId)).toMatchObject({ status: 'done', processedRows: 5000 });
  });
});
