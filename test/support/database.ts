import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import './provided.ts';

/** A fresh database for one test file, cloned from the migrated template. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}" template "${inject('pgTemplate')}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * `count` users (no password) in one INSERT … SELECT generate_series, named
 * `${prefix} 0001…` with emails `${prefix-lowercased}0001@many.test`, created a
 * minute apart; then ANALYZE, so the planner's estimates see them (lists past
 * 1,000 matches report an estimated total).
 */
export async function insertManyUsers(databaseUrl: string, count: number, opts: { prefix: string; role?: 'user' | 'pending' }): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `insert into users (id, email, name, role, status, created_at, updated_at)
       select gen_random_uuid(), $1 || lpad(i::text, 4, '0') || '@many.test', $2 || ' ' || lpad(i::text, 4, '0'), $3, 'active',
              timestamptz '2026-01-01' + make_interval(mins => i), timestamptz '2026-01-01'
         from generate_series(1, $4::int) as i`,
      [opts.prefix.toLowerCase().replace(/\W/g, ''), opts.prefix, opts.role ?? 'user', count],
    );
    await client.query('analyze users');
  } finally {
    await client.end();
  }
}
