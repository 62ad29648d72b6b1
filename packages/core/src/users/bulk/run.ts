import { User } from '@roster/db';
import type { Actor, CoreDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { getSettings } from '../../settings/instance-settings.ts';
import { applyBulkAction, assertBulkScopes, bulkRefusal, type BulkAction, type BulkArgs } from './actions.ts';
import { usersByIds } from './selection.ts';

export interface BulkUserResult {
  id: string;
  email: string | null;
  /** done; skipped: a rule refuses it now (not an error of the run); failed: the action threw. */
  outcome: 'done' | 'skipped' | 'failed';
  code?: string;
  message?: string;
}

export interface BulkResult {
  total: number;
  done: number;
  skipped: number;
  failed: number;
  /** Each user's result, up to MAX_RESULTS of them, so a job's return value stays bounded (the counts cover all). */
  results: BulkUserResult[];
  truncated: boolean;
}

export const MAX_RESULTS = 10_000;
const BATCH = 200;
/** Users in flight at once: each holds a connection of the worker's pool for its transaction. */
const PARALLEL = 4;

/**
 * Runs a bulk action over `ids` in batches as `actorId`, re-read now: an
 * admin demoted since the request acts no more. Each user goes through the
 * single action's use case on an EntityManager of its own (deps()), so one
 * user's failure never takes another's changes with it.
 */
export async function runBulk(
  deps: () => CoreDeps,
  job: { actorId: string; ids: string[]; action: BulkAction; args: BulkArgs },
  onProgress: (done: number, total: number) => Promise<void>,
): Promise<BulkResult> {
  const actor = await loadActor(deps(), job.actorId);
  assertBulkScopes(actor, job.action);
  const res: BulkResult = { total: job.ids.length, done: 0, skipped: 0, failed: 0, results: [], truncated: false };
  const keep = (r: BulkUserResult) => {
    res[r.outcome]++;
    if (res.results.length < MAX_RESULTS) res.results.push(r);
    else res.truncated = true;
  };
  let processed = 0;
  for (let i = 0; i < job.ids.length; i += BATCH) {
    const batch = job.ids.slice(i, i + BATCH);
    const d = deps();
    const policy = await getSettings(d);
    const users = new Map((await usersByIds(d, batch)).map((u) => [u.id, u]));
    const one = async (id: string) => {
      const u = users.get(id);
      if (!u) return keep({ id, email: null, outcome: 'skipped', code: 'USER_NOT_FOUND', message: new AppError('USER_NOT_FOUND').message });
      const refusal = bulkRefusal(actor, u, job.action, job.args, policy);
      if (refusal) return keep({ id, email: u.email, outcome: 'skipped', code: refusal.code, message: refusal.message });
      try {
        await applyBulkAction(deps(), actor, id, job.action, job.args);
        keep({ id, email: u.email, outcome: 'done' });
      } catch (err) {
        const code = err instanceof AppError ? err.code : 'INTERNAL';
        keep({ id, email: u.email, outcome: 'failed', code, message: (err as Error).message });
      }
    };
    for (let j = 0; j < batch.length; j += PARALLEL) await Promise.all(batch.slice(j, j + PARALLEL).map(one));
    processed += batch.length;
    await onProgress(processed, job.ids.length);
  }
  return res;
}

async function loadActor(deps: CoreDeps, id: string): Promise<Actor> {
  const u = await deps.em.findOne(User, id);
  if (!u || u.status !== 'active') throw new AppError('FORBIDDEN', 'The admin who started this bulk action can no longer act');
  return { id: u.id, email: u.email, name: u.name, role: u.role, status: u.status, mustChangePassword: u.mustChangePassword };
}
