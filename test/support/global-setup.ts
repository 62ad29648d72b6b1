import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate, openOrm } from '@roster/db';
import { freePort, startEmbeddedPostgres } from '@roster/db/embedded-postgres';
import { startRedisServer } from '@roster/jobs/redis-server';

import './provided.ts';

export const TEMPLATE_DB = 'roster_template';

/**
 * Starts one embedded PostgreSQL and one redis-server for the whole run, and
 * builds the schema once by running the migrations into a template database;
 * each test file then clones it (CREATE DATABASE … TEMPLATE), which is fast.
 */
export default async function setup(project: TestProject) {
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-test-'));
  fs.chmodSync(tmpRoot, 0o755);
  const pg = await startEmbeddedPostgres(path.join(tmpRoot, 'pg'), { quiet: true });
  await pg.createDatabase(TEMPLATE_DB);
  const orm = await openOrm(pg.url(TEMPLATE_DB), { poolMax: 1 });
  await migrate(orm);
  await orm.close();
  const redis = await startRedisServer(path.join(tmpRoot, 'redis'), await freePort());
  project.provide('pgAdminUrl', pg.url('postgres'));
  project.provide('pgTemplate', TEMPLATE_DB);
  project.provide('redisUrl', redis.url);
  project.provide('redisPort', redis.port);
  project.provide('tmpRoot', tmpRoot);
  return async () => {
    await redis.stop();
    await pg.stop();
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  };
}
