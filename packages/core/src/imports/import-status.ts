import { AppError } from '../errors.ts';
import type { CoreDeps } from '../deps.ts';
import { findImport, reportPage, reportTotal, type ImportRecord, type ReportRow } from './import-store.ts';

/** Timestamps as ISO text, as every DTO carries them (the router has no transformer). */
export interface ImportStatusDto extends Omit<ImportRecord, 'actorId' | 'createdAt' | 'finishedAt'> {
  createdAt: string;
  finishedAt: string | null;
  jobId: string;
  report: { total: number; offset: number; items: ReportRow[] };
}

/** An import's progress, counts, file error and one page of its per-row report. */
export async function importStatus(deps: Pick<CoreDeps, 'em'>, input: { jobId: string; offset?: number; limit?: number }): Promise<ImportStatusDto> {
  const rec = await findImport(deps.em, input.jobId);
  if (!rec) throw new AppError('NOT_FOUND', 'No import with this job id');
  const offset = input.offset ?? 0;
  const { actorId: _actor, ...rest } = rec;
  return {
    ...rest,
    createdAt: rec.createdAt.toISOString(),
    finishedAt: rec.finishedAt?.toISOString() ?? null,
    jobId: rec.id,
    report: { total: await reportTotal(deps.em, rec.id), offset, items: await reportPage(deps.em, rec.id, offset, input.limit ?? 100) },
  };
}
