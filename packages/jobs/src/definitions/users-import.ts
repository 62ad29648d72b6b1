import fs from 'node:fs';
import { IMPORT_JOB, importSpoolPath, runImport } from '@roster/core';
import { z } from 'zod';
import { defineJob } from '../definition.ts';

/**
 * Imports a spooled CSV (core/imports): progress goes to the import's row
 * (what admin.users.importStatus reads) and to the BullMQ job. The spooled
 * file is removed once the import is done or failed for good; an unexpected
 * error throws, keeping it for BullMQ's retry, which resumes after the last
 * committed batch.
 */
export const usersImport = defineJob({
  name: IMPORT_JOB,
  payload: z.object({ importId: z.uuid() }),
  async process(deps, { importId }, job) {
    const file = importSpoolPath(deps.dataDir, importId);
    const counts = await runImport(deps, importId, file, (processed, total) => job.updateProgress?.({ processed, total }));
    await fs.promises.rm(file, { force: true });
    deps.log(`${IMPORT_JOB} ${importId}: ${JSON.stringify(counts)}`);
    return counts;
  },
});
