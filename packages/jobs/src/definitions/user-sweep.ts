import { loadEnv } from '@roster/config';
import { z } from 'zod';
import { defineJob } from '../definition.ts';
import { sweepDeletions } from '../sweeper.ts';

/** The daily safety net (ROSTER_SWEEP_CRON, Immich-like midnight default); the worker also sweeps at start, on reconnect and every ROSTER_DUE_SWEEP_MS for due rows. */
export const userSweep = defineJob({
  name: 'user.sweep',
  payload: z.object({}).default({}),
  // Read when the worker schedules it, not when the web process imports the registry.
  repeat: {
    get pattern() {
      return loadEnv().ROSTER_SWEEP_CRON;
    },
  },
  async process(deps) {
    const res = await sweepDeletions(deps);
    if (res.queued || res.requeued) deps.log(`deletion sweep: ${JSON.stringify(res)}`);
    return res;
  },
});
