/** Runs CSV imports in-process for the users-import*.int.test.ts files: spooled and started as the endpoint does, then the job's body. */
import { Readable } from 'node:stream';
import { depsFor } from '@roster/api';
import { importSpoolPath, runImport, startImport, type Actor } from '@roster/core';
import { User, type EntityManager } from '@roster/db';
import type { TestApi, TestJar } from '@roster/test/support/api';

export async function importCsv(api: TestApi, jar: TestJar, actorEmail: string, csv: string | Buffer, dryRun = false) {
  const em = api.services.orm.em.fork() as EntityManager;
  const deps = depsFor(api.services, em, { headers: new Headers(), ip: null, secure: false, cookies: jar });
  const actor = (await em.findOneOrFail(User, { email: actorEmail })) as Actor;
  const { jobId } = await startImport(deps, actor, { fileName: 'users.csv', dryRun, size: null, body: Readable.from([Buffer.from(csv)]) });
  await runImport({ em: api.services.orm.em.fork() as EntityManager }, jobId, importSpoolPath(api.services.dataDir, jobId));
  return api.as(jar).admin.users.importStatus({ jobId, limit: 1000 });
}

export const userCount = async (api: TestApi) =>
  (await api.services.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from users`))[0]!.n;

export const hashOf = async (api: TestApi, email: string) =>
  (await api.services.orm.em.fork().execute<{ h: string }[]>(`select password_hash as h from users where email = ?`, [email]))[0]?.h;
