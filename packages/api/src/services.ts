import { createSessions, type Sessions } from '@roster/auth';
import {
  createPermissionValuesCache,
  createSessionStore,
  instanceId,
  loadPermissionCatalogue,
  systemClock,
  type Clock,
  type JobsPort,
  type PermissionValuesCache,
  type PermissionCatalogue,
  type SessionUserAttributes,
  type Throttle,
} from '@roster/core';
import { openOrm, preparedQuery, type MikroORM, type PreparedQuery } from '@roster/db';
import { createJobsProducer, createRedisThrottle, type QueueProbe } from '@roster/jobs';

/** Long-lived parts shared by every request of one process. */
export interface Services {
  orm: MikroORM;
  sessions: Sessions<SessionUserAttributes>;
  clock: Clock;
  /** First run needs the printed setup token (the server listens beyond loopback). */
  setupTokenRequired: boolean;
  jobs: JobsPort;
  /** Redis reachability, queue depth and failures per job, for /readyz and /metrics (http/health.ts, http/metrics.ts). */
  queue: QueueProbe;
  throttle: Throttle;
  dataDir: string;
  /** Roster's permission keys plus those of ROSTER_PERMISSIONS_FILE, read once at start. */
  permissions: PermissionCatalogue;
  /** Named prepared statements on the ORM's pool (effective permissions). */
  prepared: PreparedQuery;
  /** Computed permission values, valid per permission epoch (values-cache.ts). */
  permissionCache: PermissionValuesCache;
  close(): Promise<void>;
}

export interface ServiceOptions {
  databaseUrl: string;
  redisUrl: string;
  dataDir: string;
  clock?: Clock;
  /** See Services.setupTokenRequired; off unless the web process says its HOST is reachable from outside. */
  setupTokenRequired?: boolean;
  /** ROSTER_PERMISSIONS_FILE; a bad file throws here, before anything opens. */
  permissionsFile?: string;
}

export async function createServices(opts: ServiceOptions): Promise<Services> {
  const permissions = loadPermissionCatalogue(opts.permissionsFile);
  const orm = await openOrm(opts.databaseUrl);
  const prepared = await preparedQuery(orm);
  const sessions = createSessions(createSessionStore(orm.em.fork(), prepared));
  const jobs = createJobsProducer(opts.redisUrl);
  const throttle = createRedisThrottle(opts.redisUrl, () => instanceId(orm.em.fork()));
  return {
    orm,
    sessions,
    clock: opts.clock ?? systemClock,
    setupTokenRequired: opts.setupTokenRequired ?? false,
    jobs,
    queue: jobs,
    throttle,
    dataDir: opts.dataDir,
    permissions,
    prepared,
    permissionCache: createPermissionValuesCache(),
    async close() {
      await jobs.close();
      await throttle.close();
      await orm.close();
    },
  };
}
