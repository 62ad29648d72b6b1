import { createSessions, type Sessions } from '@roster/auth';
import { createSessionStore, systemClock, type Clock, type JobsPort } from '@roster/core';
import { openOrm, type MikroORM } from '@roster/db';
import { createJobsProducer } from '@roster/jobs';

/** Long-lived parts shared by every request of one process. */
export interface Services {
  orm: MikroORM;
  sessions: Sessions;
  clock: Clock;
  jobs: JobsPort;
  dataDir: string;
  close(): Promise<void>;
}

export interface ServiceOptions {
  databaseUrl: string;
  redisUrl: string;
  dataDir: string;
  clock?: Clock;
}

export async function createServices(opts: ServiceOptions): Promise<Services> {
  const orm = await openOrm(opts.databaseUrl);
  const sessions = createSessions(createSessionStore(orm.em.fork()));
  const jobs = createJobsProducer(opts.redisUrl);
  return {
    orm,
    sessions,
    clock: opts.clock ?? systemClock,
    jobs,
    dataDir: opts.dataDir,
    async close() {
      await jobs.close();
      await orm.close();
    },
  };
}
