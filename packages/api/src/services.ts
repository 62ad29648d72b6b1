import { createSessions, type Sessions } from '@roster/auth';
import { createSessionStore, systemClock, type Clock } from '@roster/core';
import { openOrm, type MikroORM } from '@roster/db';

/** Long-lived parts shared by every request of one process. */
export interface Services {
  orm: MikroORM;
  sessions: Sessions;
  clock: Clock;
  close(): Promise<void>;
}

export interface ServiceOptions {
  databaseUrl: string;
  clock?: Clock;
}

export async function createServices(opts: ServiceOptions): Promise<Services> {
  const orm = await openOrm(opts.databaseUrl);
  const sessions = createSessions(createSessionStore(orm.em.fork()));
  return {
    orm,
    sessions,
    clock: opts.clock ?? systemClock,
    async close() {
      await orm.close();
    },
  };
}
