import type { CoreDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import type { BulkUserResult } from './run.ts';

export interface JobStatus {
  id: string;
  name: string;
  /** BullMQ's: waiting, active, completed, failed, delayed… */
  state: string;
  progress: { done: number; total: number };
  /** A finished bulk job's per-user results (bounded by the job); empty before. */
  results: BulkUserResult[];
  summary?: { total: number; done: number; skipped: number; failed: number; truncated: boolean };
  failedReason?: string;
}

/** One job as the web's progress toast and `roster users bulk` poll it. */
export async function getJobStatus(deps: CoreDeps, id: string): Promise<JobStatus> {
  const job = deps.jobs.get ? await deps.jobs.get(id) : null;
  if (!job) throw new AppError('NOT_FOUND', 'No such job (finished jobs are kept for a week)');
  const p = job.progress as { done?: number; total?: number } | number | undefined;
  const rv = (job.returnValue ?? null) as { results?: BulkUserResult[]; total?: number; done?: number; skipped?: number; failed?: number; truncated?: boolean } | null;
  const total = rv?.total ?? (typeof p === 'object' ? (p.total ?? 0) : 0);
  const done = job.state === 'completed' ? total : typeof p === 'object' ? (p.done ?? 0) : 0;
  const out: JobStatus = { id: job.id, name: job.name, state: job.state, progress: { done, total }, results: rv?.results ?? [] };
  if (rv?.results) out.summary = { total, done: rv.done ?? 0, skipped: rv.skipped ?? 0, failed: rv.failed ?? 0, truncated: !!rv.truncated };
  if (job.failedReason) out.failedReason = job.failedReason;
  return out;
}
