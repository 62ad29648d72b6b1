import { randomUUID } from 'node:crypto';
import type { CoreDeps } from '../deps.ts';
import { claimPurge, type Claim } from './purge-claim.ts';
import { keepLease } from './purge-lease.ts';
import { purgePlan } from './purge-plan.ts';
import type { PurgeStep } from './purge-step.ts';

export type PurgeOutcome =
  | { outcome: 'purged'; resumed: boolean; counts: Record<string, number>; steps: Record<string, Record<string, number>> }
  | Exclude<Claim, { outcome: 'claimed' }>;

export interface PurgeOptions {
  log?: (message: string) => void;
  plan?: readonly PurgeStep[];
  /** How long the claim holds without renewal; the worker uses its BullMQ lock duration. */
  leaseMs?: number;
  /** Test-only pause after each step, so fault tests can kill a worker mid-purge (ROSTER_PURGE_STEP_DELAY_MS). */
  stepDelayMs?: number;
}

/**
 * Purges one user: re-checks and claims the row (with a lease, so one
 * worker at a time), then runs the plan's steps in order, each on its own
 * EntityManager fork and committing before the next; a step the claim found
 * with nothing to do (its `pendingSql`) is skipped. Every step is
 * idempotent, so a purge cut short (crash, SIGKILL, lost connection) is run
 * again and resumes once its lease lapses; after the last step the row is
 * gone and a run is a no-op (`gone`). Errors propagate so the queue retries.
 */
export async function purgeUser(deps: CoreDeps, userId: string, opts: PurgeOptions = {}): Promise<PurgeOutcome> {
  const plan = opts.plan ?? purgePlan;
  const log = opts.log ?? (() => {});
  const leaseMs = opts.leaseMs ?? 30_000;
  const owner = randomUUID();
  const claim = await claimPurge(deps, userId, plan, { owner, ms: leaseMs });
  if (claim.outcome !== 'claimed') return claim;
  if (claim.resumed) log(`purge of ${userId} resumed`);
  const lease = keepLease(deps, userId, owner, leaseMs, log);
  const steps: Record<string, Record<string, number>> = {};
  try {
    for (const [i, step] of plan.entries()) {
      lease.signal.throwIfAborted();
      if (!claim.pending[i]) continue; // its pendingSql found nothing to do at the claim
      const ctx = { deps: { ...deps, em: deps.em.fork() }, userId, transferToUserId: claim.transferToUserId, log, signal: lease.signal };
      // A lost lease ends the purge now; the step in flight sees the signal at its next batch.
      const run = step.run(ctx);
      run.catch(() => {}); // when the lease wins the race, the step's own end is no longer awaited
      steps[step.name] = await Promise.race([run, lease.whenLost]);
      if (opts.stepDelayMs) await Promise.race([new Promise((r) => setTimeout(r, opts.stepDelayMs)), lease.whenLost]);
    }
    lease.signal.throwIfAborted();
  } catch (err) {
    await lease.release();
    throw err;
  }
  lease.stop();
  log(`purged ${userId}: ${JSON.stringify(claim.counts)}`);
  return { outcome: 'purged', resumed: claim.resumed, counts: claim.counts, steps };
}
