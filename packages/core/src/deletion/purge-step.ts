import type { EntityManager } from '@roster/db';
import type { CoreDeps } from '../deps.ts';

/** What a purge step gets: its own EntityManager fork and the user being purged. */
export interface PurgeContext {
  deps: CoreDeps;
  userId: string;
  /** n8n-style transfer: move what the user owns to this user instead of deleting it. */
  transferToUserId: string | null;
  log(message: string): void;
  /** Aborted when the purge's lease is lost: a step working in batches stops before its next one. */
  signal?: AbortSignal;
}

/**
 * One area's share of a user purge (files, sessions, invitations, …). The
 * purge runs the steps of purge-plan.ts in order; each step commits its own
 * work (in batches when large) and must be idempotent, because a crash may
 * re-run it after part of it committed. Steps touch only the purged user's
 * rows and files (and, when transferring, the target's).
 */
export interface PurgeStep {
  name: string;
  /** What the step would remove or move, e.g. `{ files: 3, bytes: 1024 }`. Count names are unique across the plan. */
  preview(deps: CoreDeps, userId: string): Promise<Record<string, number>>;
  /**
   * The same counts as one SQL expression of type jsonb over `u.id`, the
   * purged user's id (`preview` can then be `countsBySql`). The claim takes
   * them inside its own statement instead of one round trip per step.
   */
  countsSql?: string;
  /**
   * A SQL boolean over `u.id`: false when the step has nothing to do. The
   * claim evaluates it, also when a purge resumes, and the purge then skips
   * the step, so e.g. a user without files costs the files step no
   * statement. Only for work that nothing can add after the claim, or whose
   * leftovers make the last step fail and the purge retry (files.owner_id
   * restricts the user row's deletion).
   */
  pendingSql?: string;
  /** Does the work; returns counts for the audit record. */
  run(ctx: PurgeContext): Promise<Record<string, number>>;
}

/** `preview` from `countsSql`: the same expression, for one user id. */
export async function countsBySql(em: EntityManager, countsSql: string, userId: string): Promise<Record<string, number>> {
  const [row] = await em.execute<{ counts: Record<string, number> }[]>(`select ${countsSql} as counts from (select ?::uuid as id) u`, [userId]);
  return row?.counts ?? {};
}
