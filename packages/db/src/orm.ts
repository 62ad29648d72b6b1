import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, MikroORM } from '@mikro-orm/postgresql';
import { entities } from './entities/index.ts';
import { migrations } from './migrations/index.ts';

export function ormConfig(databaseUrl: string, options: { poolMax?: number } = {}) {
  return defineConfig({
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList: migrations, transactional: true, allOrNothing: true, silent: true, snapshot: false },
    pool: { max: options.poolMax ?? 10 },
    // Every query here is indexed and page-sized. Starting parallel workers for one cost 100–200 ms on the
    // development VMs (a 25-row search page, bench/search.ts) and never saved that much.
    driverOptions: { options: '-c max_parallel_workers_per_gather=0' },
    // Entities are never serialised to clients; mappers build DTOs.
    forceUtcTimezone: true,
    debug: process.env.ROSTER_SQL_DEBUG === '1',
  });
}

export async function openOrm(databaseUrl: string, options?: { poolMax?: number }): Promise<MikroORM> {
  return MikroORM.init(ormConfig(databaseUrl, options));
}

/** Runs a named statement ($1… placeholders) on the ORM's own pool. */
export type PreparedQuery = <T>(name: string, text: string, values: unknown[]) => Promise<T[]>;

/**
 * Named prepared statements, for the few queries every request runs (the
 * session lookup): PostgreSQL parses and plans them once per connection
 * instead of per call, which was three quarters of that lookup's time
 * (bench/peers). Same pool and connections as the ORM.
 */
export async function preparedQuery(orm: MikroORM): Promise<PreparedQuery> {
  const pool = await orm.em.getConnection().getNativeClient();
  return async <T>(name: string, text: string, values: unknown[]) => (await pool.query({ name, text, values })).rows as T[];
}

/** Brings the schema up to date; the only way the schema changes. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const done = await orm.migrator.up();
  return done.map((m) => m.name);
}

export { MikroORM };
export type { EntityManager } from '@mikro-orm/postgresql';
