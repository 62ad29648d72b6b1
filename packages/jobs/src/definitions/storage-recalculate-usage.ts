import { recalculateUsage, RECALCULATE_USAGE_JOB } from '@roster/core';
import { z } from 'zod';
import { defineJob } from '../definition.ts';

/** Recomputes usage_bytes from the file rows (one user or all), releases stale upload reservations, reports drift. */
export const storageRecalculateUsage = defineJob({
  name: RECALCULATE_USAGE_JOB,
  payload: z.object({ userId: z.uuid().optional() }).default({}),
  repeat: { pattern: '15 4 * * *' },
  async process(deps, payload) {
    const report = await recalculateUsage(deps, { userId: payload.userId });
    deps.log(`${RECALCULATE_USAGE_JOB}: checked ${report.checked}, corrected ${report.drifted}, stale uploads ${report.staleUploadsReleased}`);
    return report;
  },
});
