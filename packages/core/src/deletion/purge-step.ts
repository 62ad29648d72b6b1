import type { CoreDeps } from '../deps.ts';

/** What a purge step gets: its own EntityManager fork and the user being purged. */
export interface PurgeContext {
  deps: CoreDeps;
  userId: string;
  /** n8n-style transfer: move what the user owns to this user instead of deleting it. */
  transferToUserId: string | null;
  log(message: string): void;
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
  /** What the step would remove or move, e.g. `{ files: 3, bytes: 1024 }`. */
  preview(deps: CoreDeps, userId: string): Promise<Record<string, number>>;
  /** Does the work; returns counts for the audit record. */
  run(ctx: PurgeContext): Promise<Record<string, number>>;
}
