/**
 * `npm start`: runs Roster on embedded defaults. Starts PostgreSQL (embedded)
 * and redis-server when DATABASE_URL / REDIS_URL are unset, keeping their data
 * in ROSTER_DATA_DIR, migrates, builds the web app when its sources changed,
 * then runs the web server and the job worker until interrupted, restarting
 * either when it crashes (scripts/supervise.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { dataPaths, loadEnv, repoRoot, webNodeFlags } from '../packages/config/src/index.ts';
import { migrate, openOrm } from '../packages/db/src/index.ts';
import { loadPermissionCatalogue } from '../packages/core/src/permissions/catalogue-file.ts';
import { freePort, startEmbeddedPostgres, type EmbeddedPg } from '../packages/db/src/embedded-postgres.ts';
import { ensureRedisServerBinary, startRedisServer, type RedisServer } from '../packages/jobs/src/redis-server.ts';
import { supervise } from './supervise.ts';
import { buildWebIfStale } from './web-build.ts';

const say = (m: string) => console.log(`roster: ${m}`);

async function waitUntilServing(probe: string): Promise<void> {
  for (;;) {
    if (stopping) return;
    const ok = await fetch(probe).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}
const env = loadEnv();
const paths = dataPaths(env.ROSTER_DATA_DIR);
fs.mkdirSync(env.ROSTER_DATA_DIR, { recursive: true });
say(`data folder: ${env.ROSTER_DATA_DIR}`);

const cleanups: (() => Promise<void>)[] = [];
const children = supervise({ say });
let stopping = false;
async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await children.stop();
    for (const fn of cleanups.reverse()) await fn().catch(() => {});
  }
  process.exit(code);
}
// A child that keeps crashing is a fault to fix, not to hide: stop the whole instance.
void children.gaveUp.then(() => stop(1));
// Importing embedded-postgres installs async-exit-hook, which on these signals exits at once (code 128 + signal)
// without waiting for the children; this process stops them and the services it started itself, then exits 0.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => void stop(0));
}

try {
  // Before anything starts: a bad ROSTER_PERMISSIONS_FILE is the operator's to fix, said once and clearly.
  const catalogue = loadPermissionCatalogue(env.ROSTER_PERMISSIONS_FILE);
  if (env.ROSTER_PERMISSIONS_FILE) say(`permission keys: ${catalogue.entries.length} (${env.ROSTER_PERMISSIONS_FILE})`);
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const pg: EmbeddedPg = await startEmbeddedPostgres(paths.postgres);
    cleanups.push(() => pg.stop());
    await pg.createDatabase('roster');
    databaseUrl = pg.url('roster');
    say(`embedded PostgreSQL running, data in ${paths.postgres}`);
  }
  let redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    ensureRedisServerBinary();
    const redis: RedisServer = await startRedisServer(paths.redis, await freePort());
    cleanups.push(() => redis.stop());
    redisUrl = redis.url;
    say(`redis-server running, data in ${paths.redis}`);
  }
  const orm = await openOrm(databaseUrl, { poolMax: 1 });
  const applied = await migrate(orm);
  await orm.close();
  say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');

  buildWebIfStale(say);

  const childEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    ROSTER_DATA_DIR: env.ROSTER_DATA_DIR,
    PORT: String(env.PORT),
    HOST: env.HOST,
    // adapter-node's one limit for every route stays open for uploads (their own endpoint enforces quotas);
    // tRPC calls and form actions are bounded by ROSTER_BODY_LIMIT in apps/web/server.ts instead.
    BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT ?? 'Infinity',
  };
  const run = (name: string, entry: string, flags: string[] = []) =>
    children.start({ name, command: process.execPath, args: [...flags, path.join(repoRoot, entry)], cwd: repoRoot, env: childEnv });
  run('worker', 'apps/worker/src/main.ts');
  run('web', 'apps/web/server.ts', webNodeFlags(env));
  const shown = env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
  const url = `http://${shown}:${env.PORT}`;
  await waitUntilServing(`http://${shown === 'localhost' ? '127.0.0.1' : shown}:${env.PORT}/api/trpc/setup.status`);
  say(`Roster is running at ${url}  (Ctrl+C to stop)`);
} catch (err) {
  console.error(`roster: ${(err as Error).message}`);
  await stop(1);
}

