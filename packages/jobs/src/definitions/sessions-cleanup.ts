import { z } from 'zod';
import { defineJob } from '../definition.ts';

/** Expired sessions are refused anyway; this keeps the table small. */
export const sessionsCleanup = defineJob({
  name: 'sessions.cleanup',
  payload: z.object({}).default({}),
  repeat: { pattern: '30 3 * * *' },
  async process({ em }) {
    const res = await em.execute(`delete from sessions where expires_at <= now()`, [], 'run');
    return { deleted: (res as { affectedRows?: number }).affectedRows ?? 0 };
  },
});
