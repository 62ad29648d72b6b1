import type { CoreDeps, JobsPort } from '@roster/core';
import type { JobDeps } from '../definition.ts';

/** Sessions are a web concern; a purge step that reached for them would be a bug, so it fails loudly. */
const noSessions = new Proxy({} as CoreDeps['sessions'], {
  get: (_, key) => () => {
    throw new Error(`sessions.${String(key)} is not available in the worker`);
  },
});

/** The queue as core sees it, inside the worker. */
function queuePort(deps: JobDeps): JobsPort {
  return {
    async enqueue(name, payload, opts = {}) {
      await deps.queue.add(name, payload, { jobId: opts.jobId, delay: Math.max(0, opts.delayMs ?? 0) });
    },
    async cancel(jobId) {
      const job = await deps.queue.getJob(jobId);
      if (!job) return false;
      await job.remove();
      return true;
    },
  };
}

/** Core use cases (the purge steps) take CoreDeps; this is that, for a job processor. */
export function workerCoreDeps(deps: JobDeps): CoreDeps {
  return { em: deps.em, clock: deps.clock, dataDir: deps.dataDir, sessions: noSessions, jobs: queuePort(deps) };
}
