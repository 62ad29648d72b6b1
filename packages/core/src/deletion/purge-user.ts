import type { CoreDeps } from '../deps.ts';
import { claimPurge, type Claim } from './purge-claim.ts';
import { withPurgeLock } from './purge-lock.ts';
import { purgePlan } from './purge-plan.ts';
import type { PurgeStep } from './purge-step.ts';

export type PurgeOutcome =
  | { outcome: 'purged'; resumed: boolean; counts: Record<string, number>; steps: Record<string, Record<string, number>> }
  | Exclude<Claim, { outcome: 'claimed' }>;

export interface PurgeOptions {
  log?: (message: string) => void;
  plan?: readonly PurgeStep[];
  /** Test-only pause after each step, so fault tests can kill a worker mid-purge (ROSTER_PURGE_STEP_DELAY_MS). */
  stepDelayMs?: number;
}

/**
 * Purges one user: under the purge lock, re-checks and claims the row, then
 * runs the plan's steps in order, each on its own EntityManager fork and
 * committing before the next. Every step is idempotent, so a purge cut
 * short (crash, SIGKILL, lost connection) is simply run again and resumes;
 * once the user row is gone a run is a no-op (`gone`). Errors propagate so
 * the queue retries.
 */
export async function purgeUser(deps: CoreDeps, userId: string, opts: PurgeOptions = {}): Promise<PurgeOutcome> {
  const plan = opts.plan ?? purgePlan;
  const log = opts.log ?? (() => {});
  return withPurgeLock(deps.em, userId, async () => {
    const claim = await claimPurge(deps, userId, plan);
    if (claim.outcome !== 'claimed') return claim;
    log(`purge of ${userId} ${claim.resumed ? 'resumed' : 'started'}`);
    const steps: Record<string, Record<string, number>> = {};
    for (const step of plan) {
      const stepDeps = { ...deps, em: deps.em.fork() };
      steps[step.name] = await step.run({ deps: stepDeps, userId, transferToUserId: claim.transferToUserId, log });
      if (opts.stepDelayMs) await new Promise((r) => setTimeout(r, opts.stepDelayMs));
    }
    log(`purge of ${userId} done: ${JSON.stringify(claim.counts)}`);
    return { outcome: 'purged', resumed: claim.resumed, counts: claim.counts, steps };
  });
}
