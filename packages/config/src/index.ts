import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root: defaults for data live beside the code unless ROSTER_DATA_DIR says otherwise. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** `1048576`, `512K`, `2M`, `1G` (powers of 1024, as adapter-node's BODY_SIZE_LIMIT) → bytes; null when not a size. */
export function parseBytes(value: string): number | null {
  const m = /^\s*(\d+)\s*([KMG]?)i?B?\s*$/i.exec(value);
  if (!m) return null;
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'];
  return Number(m[1]) * unit;
}

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
  /** How often the worker queues purges that are due (or whose job the web could not queue) and checks Redis still holds the repeat schedules. */
  ROSTER_DUE_SWEEP_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
  /** Webhooks: how often the worker's relay looks for new deliveries, the retry count and the backoff base (base, 2×, 4×…). */
  ROSTER_WEBHOOK_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
  ROSTER_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  ROSTER_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(10_000),
  /** How long a stopping worker waits for running jobs before it lets go of them (they resume in another worker). */
  ROSTER_WORKER_CLOSE_MS: z.coerce.number().int().min(0).max(600_000).default(8_000),
  /** Test-only: pause after each purge step so fault tests can kill a worker mid-purge. Leave at 0. */
  ROSTER_PURGE_STEP_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /**
   * The address people reach this instance at (e.g. https://roster.example.org).
   * When set, its scheme decides Secure cookies, HSTS and what counts as the
   * instance itself, instead of trusting each request's scheme (a TLS proxy).
   */
  ROSTER_PUBLIC_URL: z.string().url().optional(),
  /**
   * Largest request body for tRPC calls and form actions (bytes, or with a
   * K/M/G suffix). Uploads (`POST /api/files`) are bound by the owner's quota instead.
   */
  ROSTER_BODY_LIMIT: z
    .string()
    .default('1M')
    .transform((v, ctx) => {
      const bytes = parseBytes(v);
      if (bytes === null || bytes < 1024 || bytes > 1024 ** 3) {
        ctx.addIssue({ code: 'custom', message: 'give a size between 1K and 1G, e.g. 1048576, 512K or 2M' });
        return z.NEVER;
      }
      return bytes;
    }),
  /**
   * Heap limit (MiB) of the web process. Node's default grows with the
   * machine's memory (about 4 GiB here), so V8 lets garbage pile up under
   * load: 200 concurrent clients took the web to 430 MiB RSS uncapped and
   * about 270 MiB at 256 (bench/load.ts), at the same request rate.
   */
  ROSTER_WEB_HEAP_MIB: z.coerce.number().int().min(96).max(65_536).default(256),
  /**
   * A JSON file declaring the deploying organisation's own permission keys,
   * namespace → key → default (or {default, label}); checked at start, and a
   * bad file stops the start with the reason.
   */
  ROSTER_PERMISSIONS_FILE: z.string().min(1).optional(),
  /** Structured log level (pino): fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Bearer token that lets a scraper read /metrics from beyond loopback (loopback needs none). Unset: loopback only. */
  ROSTER_METRICS_TOKEN: z.string().min(16).optional(),
  /** Calls one API key may make per minute, across all web processes (default in core: 1200). */
  ROSTER_API_KEY_RATE: z.coerce.number().int().min(1).max(10_000_000).optional(),
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

/** Node flags for the web process, wherever it is started (npm start, tests, benchmarks). */
export function webNodeFlags(env: Pick<Env, 'ROSTER_WEB_HEAP_MIB'>): string[] {
  // AsyncLocalStorage (request ids, audit scopes) without promise hooks: a session check costs a tenth less (bench/README.md).
  return [`--max-old-space-size=${env.ROSTER_WEB_HEAP_MIB}`, '--experimental-async-context-frame'];
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
export * from './logger.ts';
