import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { getSettings } from '../../settings/instance-settings.ts';
import { assertBulkScopes, bulkRefusal, type BulkAction, type BulkArgs } from './actions.ts';
import { resolveSelection, type BulkSelection } from './selection.ts';

export type BulkInput = BulkSelection & { action: BulkAction; args?: BulkArgs };

export interface BulkRefusal {
  id: string;
  email: string | null;
  code: string;
  message: string;
}

export interface BulkPreview {
  total: number;
  allowed: number;
  /** The first MAX_LISTED refusals; refusedCount has them all. */
  refused: BulkRefusal[];
  refusedCount: number;
}

const MAX_LISTED = 1_000;
export const BULK_JOB = 'users.bulk';

/** How many users the action would change, and which it would refuse and why (the owner, yourself, the single actions' rules); `ids`: the whole selection. */
export async function bulkPreview(deps: CoreDeps, actor: Actor, input: BulkInput): Promise<BulkPreview & { ids: string[] }> {
  assertBulkScopes(actor, input.action);
  const { users, missing } = await resolveSelection(deps, input);
  const policy = await getSettings(deps);
  const refused: BulkRefusal[] = missing.map((id) => ({ id, email: null, code: 'USER_NOT_FOUND', message: new AppError('USER_NOT_FOUND').message }));
  for (const u of users) {
    const err = bulkRefusal(actor, u, input.action, input.args ?? {}, policy);
    if (err) refused.push({ id: u.id, email: u.email, code: err.code, message: err.message });
  }
  const total = users.length + missing.length;
  const ids = [...users.map((u) => u.id), ...missing];
  return { total, allowed: total - refused.length, refused: refused.slice(0, MAX_LISTED), refusedCount: refused.length, ids };
}

/**
 * Queues the action as one job over every selected user; the job checks each
 * again (things change since the preview), skips the refused ones with their
 * reason in its results, and runs the single action's use case on the others.
 * The request's audit row names the job; each user's own row comes from it.
 */
export async function startBulk(deps: CoreDeps, actor: Actor, input: BulkInput): Promise<{ jobId: string } & BulkPreview> {
  const { ids, ...preview } = await bulkPreview(deps, actor, input);
  const jobId = `${BULK_JOB}.${randomUUID()}`;
  const args = { ...input.args, until: input.args?.until ? input.args.until.toISOString() : undefined };
  recordAudit(deps.em, {
    actorId: actor.id,
    action: 'user.bulk',
    details: { jobId, action: input.action, args: { ...args, reason: args.reason }, total: preview.total, allowed: preview.allowed },
  });
  await deps.em.flush();
  await deps.jobs.enqueue(BULK_JOB, { actorId: actor.id, action: input.action, args, ids }, { jobId });
  return { jobId, ...preview };
}
