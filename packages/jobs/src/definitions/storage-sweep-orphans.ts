import { loadEnv } from '@roster/config';
import { sweepOrphans, SWEEP_ORPHANS_JOB } from '@roster/core';
import { z } from 'zod';
import { defineJob } from '../definition.ts';

/**
 * Removes files on disk that no row references, and partial uploads left in
 * the temp folder, once older than ROSTER_ORPHAN_GRACE_MS (an hour by
 * default). Daily (ROSTER_ORPHAN_SWEEP_CRON), and from the Jobs page or
 * `roster jobs run sweep-orphans` (jobId `storage.sweepOrphans.all`).
 */
export const storageSweepOrphans = defineJob({
  name: SWEEP_ORPHANS_JOB,
  payload: z.object({}).default({}),
  // Read when the worker schedules it, not when the web process imports the registry.
  repeat: {
    get pattern() {
      return loadEnv().ROSTER_ORPHAN_SWEEP_CRON;
    },
  },
  async process(deps) {
    const report = await sweepOrphans(deps, { graceMs: loadEnv().ROSTER_ORPHAN_GRACE_MS });
    deps.log(
      `${SWEEP_ORPHANS_JOB}: scanned ${report.scanned}, removed ${report.orphans.files} orphan(s) and ${report.temp.files} temp file(s), ` +
        `${report.bytesFreed} bytes freed, ${report.skipped} skipped`,
    );
    return report;
  },
});
