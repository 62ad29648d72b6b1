import { migrateAllStorage, migrateUserStorage, STORAGE_MIGRATE_JOB } from '@roster/core';
import { z } from 'zod';
import { defineJob } from '../definition.ts';

/**
 * Moves files into `upload/{storageLabel or userId}`: one user (enqueued when
 * their label changes, jobId `storage.migrate.<userId>`) or every user whose
 * files are out of place (admin "Run storage migration", and a daily sweep
 * that catches label changes whose enqueue was lost).
 */
export const storageMigrate = defineJob({
  name: STORAGE_MIGRATE_JOB,
  payload: z.object({ userId: z.uuid().optional() }).default({}),
  repeat: { pattern: '45 3 * * *' },
  async process(deps, payload) {
    const report = payload.userId ? await migrateUserStorage(deps, payload.userId) : await migrateAllStorage(deps);
    deps.log(`${STORAGE_MIGRATE_JOB} ${payload.userId ?? 'all'}: moved ${report.moved}, missing ${report.missing}`);
    if (report.missing) deps.log(`${STORAGE_MIGRATE_JOB}: ${report.missing} file(s) have a row but nothing on disk`);
    return report;
  },
});
