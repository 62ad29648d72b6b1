/**
 * better-auth as its documentation sets it up: e-mail and password, the
 * admin plugin, PostgreSQL through a pg Pool, its own schema (migrations run
 * by run.ts with better-auth's getMigrations). Rate limiting and telemetry
 * are off: the one is a per-IP throttle that would answer a benchmark on
 * loopback with 429s, the other sends data off the machine.
 */
import { betterAuth } from 'better-auth';
import { admin } from 'better-auth/plugins';
import pg from 'pg';

export const BA_SECRET = 'bench-secret-bench-secret-bench-secret-0123';

export function betterAuthOptions(databaseUrl: string, baseURL: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, statement_timeout: 15_000 });
  return {
    pool,
    options: {
      database: pool,
      baseURL,
      secret: BA_SECRET,
      emailAndPassword: { enabled: true },
      plugins: [admin()],
      rateLimit: { enabled: false },
      telemetry: { enabled: false },
      logger: { disabled: true },
    },
  };
}

export const makeBetterAuth = (databaseUrl: string, baseURL: string) => {
  const { pool, options } = betterAuthOptions(databaseUrl, baseURL);
  return { pool, options, auth: betterAuth(options) };
};
