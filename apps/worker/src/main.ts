import { loadEnv, requireEnv } from '@roster/config';
import { systemClock } from '@roster/core';
import { openOrm } from '@roster/db';
import { startWorker } from '@roster/jobs';

/** The job worker process: runs until SIGTERM/SIGINT, then finishes its current steps and exits. */
const env = loadEnv();
const orm = await openOrm(requireEnv(env, 'DATABASE_URL'));
const running = await startWorker({
  redisUrl: requireEnv(env, 'REDIS_URL'),
  orm,
  clock: systemClock,
  dataDir: env.ROSTER_DATA_DIR,
});
console.log('[worker] ready');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await running.close();
    await orm.close();
    process.exit(0);
  });
}
