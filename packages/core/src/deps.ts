import type { Sessions } from '@roster/auth';
import type { EntityManager, PreparedQuery } from '@roster/db';
import type { Clock } from './clock.ts';
import type { PermissionCatalogue } from './permissions/catalogue.ts';
import type { EpochPermissionValues } from './permissions/values-cache.ts';
import type { ClientInfo, Throttle } from './throttle/port.ts';

/**
 * The queue as core sees it (implemented over BullMQ in packages/jobs).
 * Enqueueing may fail when Redis is down; callers that must not lose work
 * record it in the database first (outbox) and let the sweeper retry.
 */
export interface JobsPort {
  enqueue(name: string, payload: object, opts?: { jobId?: string; delayMs?: number }): Promise<void>;
  cancel(jobId: string): Promise<boolean>;
  /** Read-only, for the jobs page: how many jobs of each name are in each state. */
  counts?(): Promise<JobCounts[]>;
  /** Read-only: one job's state, progress and return value (admin.jobs.get); null when Redis no longer has it. */
  get?(jobId: string): Promise<JobInfo | null>;
}

export interface JobInfo {
  id: string;
  name: string;
  state: string;
  progress: unknown;
  returnValue: unknown;
  failedReason?: string;
}

export interface JobCounts {
  name: string;
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  delayed: number;
}

/** What every use case may use. One `em` fork per request or job. */
export interface CoreDeps {
  em: EntityManager;
  clock: Clock;
  sessions: Sessions;
  jobs: JobsPort;
  /** ROSTER_DATA_DIR: user files live under `upload/` here. */
  dataDir: string;
  /** Brute-force limits on credential checks; absent outside web requests (nothing signs in there). */
  throttle?: Throttle;
  /** Who is calling (address, user agent), for limits and audit rows. */
  client?: ClientInfo;
  /** First run asks for the one-time setup token (the server listens beyond loopback). */
  setupTokenRequired?: boolean;
  /** Roster's permission keys plus ROSTER_PERMISSIONS_FILE's; Roster's alone when absent. */
  permissions?: PermissionCatalogue;
  /** Named prepared statements on the ORM's pool, for reads that many requests run (effective permissions). */
  prepared?: PreparedQuery;
  /** The web process's computed permissions, at the epoch this request's session lookup read; absent without a session. */
  permissionValues?: EpochPermissionValues;
  /** Set when the caller presented an API key: the key's id and the scopes it may use now. */
  apiKey?: { id: string; scopes: readonly string[] };
}

/** The signed-in caller, as the rules need it. */
export interface Actor {
  id: string;
  email: string;
  name: string;
  role: 'owner' | 'admin' | 'user' | 'pending' | 'service';
  status: 'active' | 'suspended' | 'deleted';
  mustChangePassword: boolean;
  /** Present when the caller acts through an API key: scopes are held only if the key holds them too (hasScope). */
  keyScopes?: readonly string[];
}
