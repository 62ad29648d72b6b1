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
