import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root: defaults for data live beside the code unless ROSTER_DATA_DIR says otherwise. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  ROSTER_DATA_DIR: z.string().default(path.join(repoRoot, '.data')),
  /** Cron for the deletion sweep (Immich runs its user deletion job daily at midnight). */
  ROSTER_SWEEP_CRON: z.string().default('0 0 * * *'),
  /** Cron for removing files on disk that no row references (crashed deletes and uploads), and how old they must be first. */
  ROSTER_ORPHAN_SWEEP_CRON: z.string().default('30 4 * * *'),
  ROSTER_ORPHAN_GRACE_MS: z.coerce.number().int().min(60_000).default(60 * 60_000),
  /** Worker tuning: parallel jobs per worker process, BullMQ lock and stalled-check periods. */
  ROSTER_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  ROSTER_JOB_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
  ROSTER_JOB_STALLED_MS: z.coerce.number().int().min(500).default(30_000),
  /** Test-only: pause after each purge step so fault tests can kill a worker mid-purge. Leave at 0. */
  ROSTER_PURGE_STEP_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /**
   * The address people reach this instance at (e.g. https://roster.example.org).
   * When set, its scheme decides Secure cookies, HSTS and what counts as the
   * instance itself, instead of trusting each request's scheme (a TLS proxy).
   */
  ROSTER_PUBLIC_URL: z.string().url().optional(),
  NODE_ENV: z.string().default('production'),
});

export type Env = z.infer<typeof envSchema>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, ROSTER_DATA_DIR: path.resolve(parsed.data.ROSTER_DATA_DIR) };
}

/** Folders inside the data directory, one place so start-up, workers and storage agree. */
export function dataPaths(dataDir: string) {
  return {
    postgres: path.join(dataDir, 'postgres'),
    redis: path.join(dataDir, 'redis'),
    files: dataDir,
  };
}

export function requireEnv(env: Env, key: 'DATABASE_URL' | 'REDIS_URL'): string {
  const v = env[key];
  if (!v) throw new Error(`${key} is not set (npm start sets it when it starts the embedded services)`);
  return v;
}
