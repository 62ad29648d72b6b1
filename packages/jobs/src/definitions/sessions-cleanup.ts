import { deleteExpiredSessions } from '@roster/core';
import { z } from 'zod';
import { defineJob } from '../definition.ts';

/** Expired, idle and too old sessions are refused anyway; this keeps the table small. */
export const sessionsCleanup = defineJob({
  name: 'sessions.cleanup',
  payload: z.object({}).default({}),
  repeat: { pattern: '30 3 * * *' },
  async process({ em }) {
    return { deleted: await deleteExpiredSessions(em) };
  },
});
