import type { CoreDeps } from '../deps.ts';

/** Another worker holds a live lease on this purge; the job retries later and then finds the work done. */
export class PurgeBusyError extends Error {
  constructor(userId: string, why = 'is running in another worker') {
    super(`The purge of ${userId} ${why}`);
    this.name = 'PurgeBusyError';
  }
}

/** SQL for "now + the lease", in PostgreSQL's clock (one clock for every worker). */
export const leaseUntilSql = `now() + make_interval(secs => ?)`;

export interface Lease {
  /** Set when a renewal found the lease taken over (this worker was presumed dead) or could not reach the database. */
  readonly lost: boolean;
  /** Aborted the moment the lease is lost, with the reason; steps that work in batches check it between batches. */
  readonly signal: AbortSignal;
  /** Rejects the moment the lease is lost, so the purge can stop at once instead of after the step in flight. */
  readonly whenLost: Promise<never>;
  /** Stops renewing (the purge finished: the row and its lease are gone). */
  stop(): void;
  /** Stops renewing and hands the lease back, so a retry after a failed step can resume at once. */
  release(): Promise<void>;
}

/**
 * Keeps the purge's lease (taken by the claim) alive while the steps run:
 * renewed every third of its length, like BullMQ's own job lock. A worker
 * that dies stops renewing, the lease lapses, and the next run resumes; a
 * worker that is merely busy keeps it. Short purges end before the first
 * renewal, so the lease costs no statement of its own. A renewal that fails
 * (taken over, or the database unreachable) is logged and ends the lease:
 * past that point another worker may be running the same steps.
 */
export function keepLease(deps: Pick<CoreDeps, 'em'>, userId: string, owner: string, leaseMs: number, log: (m: string) => void = () => {}): Lease {
  const controller = new AbortController();
  let lose!: (err: Error) => void;
  const whenLost = new Promise<never>((_, reject) => {
    lose = (err) => {
      if (controller.signal.aborted) return;
      clearInterval(timer);
      log(`${err.message}; stopping the purge`);
      controller.abort(err);
      reject(err);
    };
  });
  whenLost.catch(() => {}); // observed through `signal` when nobody awaits it
  const renew = async () => {
    try {
      const res = (await deps.em.fork().execute(
        `update users set purge_lease_until = ${leaseUntilSql} where id = ? and purge_lease_owner = ?`,
        [leaseMs / 1000, userId, owner],
        'run',
      )) as { affectedRows: number };
      if (res.affectedRows === 0) lose(new PurgeBusyError(userId, 'was taken over by another worker (lease lost)'));
    } catch (err) {
      lose(new Error(`The lease on the purge of ${userId} could not be renewed: ${(err as Error).message}`));
    }
  };
  const timer = setInterval(() => void renew(), Math.max(100, leaseMs / 3));
  return {
    get lost() {
      return controller.signal.aborted;
    },
    signal: controller.signal,
    whenLost,
    stop: () => clearInterval(timer),
    async release() {
      clearInterval(timer);
      await deps.em
        .fork()
        .execute(`update users set purge_lease_owner = null, purge_lease_until = null where id = ? and purge_lease_owner = ?`, [userId, owner])
        .catch(() => {});
    },
  };
}
