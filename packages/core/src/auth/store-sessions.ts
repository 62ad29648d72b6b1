import { createSessions, type Sessions } from '@roster/auth';
import type { EntityManager, PreparedQuery } from '@roster/db';
import { createSessionStore, type SessionUserAttributes } from './session-store.ts';

/** Sessions over the database alone, for a process without a web request (the worker ending a suspended user's sessions). */
export function storeSessions(em: EntityManager, prepared: PreparedQuery): Sessions<SessionUserAttributes> {
  return createSessions(createSessionStore(em, prepared));
}
