import type { Sessions } from '@roster/auth';
import type { EntityManager } from '@roster/db';
import type { Clock } from './clock.ts';

/** What every use case may use. One `em` fork per request or job. */
export interface CoreDeps {
  em: EntityManager;
  clock: Clock;
  sessions: Sessions;
}

/** The signed-in caller, as the rules need it. */
export interface Actor {
  id: string;
  email: string;
  name: string;
  role: 'owner' | 'admin' | 'user' | 'pending';
  status: 'active' | 'suspended' | 'deleted';
  mustChangePassword: boolean;
}
