/**
 * Runs the storage migration for one user in its own process, so a test can
 * SIGKILL it midway. MODE=hook: the use case with a progress hook that, after
 * HANG_AFTER files were renamed, hangs before updating that file's row (the
 * worst moment to die). MODE=job: the real `storage.migrate` job processor.
 */
import { systemClock } from '@roster/core';
import { migrateUserStorage } from '@roster/core';
import { openOrm } from '@roster/db';
import { storageMigrate } from '@roster/jobs/definitions/storage-migrate';

const env = (k: string) => process.env[k] ?? '';
const orm = await openOrm(env('DATABASE_URL'), { poolMax: 2 });
const deps = { em: orm.em.fork(), orm, clock: systemClock, dataDir: env('ROSTER_DATA_DIR'), log: (m: string) => console.log(m) };
let moved = 0;
const report =
  env('MODE') === 'job'
    ? await storageMigrate.process(deps as never, { userId: env('USER_ID') }, { attemptsMade: 0 })
    : await migrateUserStorage(deps, env('USER_ID'), {
        batchSize: 7,
        onProgress: async (e) => {
          if (e.stage !== 'moved') return;
          console.log(`moved ${e.fileId}`);
          if (++moved === Number(env('HANG_AFTER'))) await new Promise(() => {});
        },
      });
console.log(`done ${JSON.stringify(report)}`);
await orm.close();
