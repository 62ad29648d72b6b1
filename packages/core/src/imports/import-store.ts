import type { EntityManager } from '@roster/db';

/** The import's rows in user_imports / user_import_rows (migration 0020), read and written in plain SQL. */

export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';
export type RowStatus = 'imported' | 'valid' | 'skipped' | 'invalid';
export interface ImportCounts {
  imported: number;
  valid: number;
  skipped: number;
  invalid: number;
}
export interface ReportRow {
  row: number;
  email: string | null;
  status: RowStatus;
  code: string | null;
  message: string | null;
}
export interface ImportRecord {
  id: string;
  actorId: string | null;
  fileName: string;
  dryRun: boolean;
  status: ImportStatus;
  totalRows: number | null;
  processedRows: number;
  counts: ImportCounts;
  error: { code: string; message: string; row: number | null } | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export const emptyCounts = (): ImportCounts => ({ imported: 0, valid: 0, skipped: 0, invalid: 0 });

export async function insertImport(em: EntityManager, r: { id: string; actorId: string; fileName: string; dryRun: boolean }): Promise<void> {
  await em.execute(`insert into user_imports (id, actor_id, file_name, dry_run) values (?, ?, ?, ?)`, [r.id, r.actorId, r.fileName, r.dryRun]);
}

export async function findImport(em: EntityManager, id: string): Promise<ImportRecord | null> {
  const [r] = await em.execute<Record<string, unknown>[]>(`select * from user_imports where id = ?`, [id]);
  if (!r) return null;
  return {
    id: r.id as string,
    actorId: r.actor_id as string | null,
    fileName: r.file_name as string,
    dryRun: r.dry_run as boolean,
    status: r.status as ImportStatus,
    totalRows: r.total_rows as number | null,
    processedRows: r.processed_rows as number,
    counts: { ...emptyCounts(), ...(r.counts as Partial<ImportCounts>) },
    error: (r.error as ImportRecord['error']) ?? null,
    createdAt: new Date(r.created_at as string),
    finishedAt: r.finished_at ? new Date(r.finished_at as string) : null,
  };
}

export async function markRunning(em: EntityManager, id: string, totalRows: number): Promise<void> {
  await em.execute(`update user_imports set status = 'running', total_rows = ? where id = ?`, [totalRows, id]);
}

/** One batch's report and the progress after it, in the caller's transaction (with the users it created). */
export async function saveBatch(em: EntityManager, id: string, rows: ReportRow[], processed: number, counts: ImportCounts): Promise<void> {
  if (rows.length)
    await em.execute(
      `insert into user_import_rows (import_id, row, email, status, code, message)
       select ?, r.row, r.email, r.status, r.code, r.message
         from jsonb_to_recordset(?::jsonb) as r(row int, email text, status text, code text, message text)
       on conflict (import_id, row) do update set email = excluded.email, status = excluded.status, code = excluded.code, message = excluded.message`,
      [id, JSON.stringify(rows)],
    );
  await em.execute(`update user_imports set processed_rows = ?, counts = ?::jsonb where id = ?`, [processed, JSON.stringify(counts), id]);
}

export async function finishImport(em: EntityManager, id: string, error: ImportRecord['error'] = null): Promise<void> {
  await em.execute(`update user_imports set status = ?, error = ?::jsonb, finished_at = now() where id = ?`, [
    error ? 'failed' : 'done',
    error ? JSON.stringify(error) : null,
    id,
  ]);
}

export async function reportPage(em: EntityManager, id: string, offset: number, limit: number): Promise<ReportRow[]> {
  return em.execute<ReportRow[]>(
    `select row, email, status, code, message from user_import_rows where import_id = ? order by row offset ? limit ?`,
    [id, offset, limit],
  );
}

export async function reportTotal(em: EntityManager, id: string): Promise<number> {
  const [r] = await em.execute<{ n: string }[]>(`select count(*) as n from user_import_rows where import_id = ?`, [id]);
  return Number(r?.n ?? 0);
}
