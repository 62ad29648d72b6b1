import { User } from '@roster/db';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { hasScope } from '../permissions/scopes.ts';
import { getSettings } from '../settings/instance-settings.ts';
import { assertMayGrantRole } from '../users/rules.ts';
import { readHeader, type Columns } from './csv-columns.ts';
import { csvRecords, ImportFileError } from './csv-source.ts';
import type { BatchContext } from './import-batch.ts';
import { BatchWrites } from './batch-writes.ts';
import { checkRow, isProblem, type ValidRow } from './import-row.ts';
import { emptyCounts, findImport, finishImport, markRunning, type ImportCounts, type ReportRow } from './import-store.ts';

/** A batch ends at this many rows, or sooner at this many passwords to hash, so progress moves every second or so. */
const BATCH_ROWS = 1000;
const BATCH_PASSWORDS = 64;

export type ImportProgress = (processed: number, total: number) => Promise<void> | void;

/**
 * Runs an import (the job's body). First pass: the whole file is read once
 * for its structure (UTF-8, quoting, header, record size) and its row count,
 * so a malformed file fails naming the row before any user is written.
 * Second pass: rows are checked and written in batches, each batch with its
 * report rows and progress in one transaction, pipelined (batch-writes.ts)
 * but committed in file order; a retried job resumes after the last
 * committed batch.
 */
export async function runImport(deps: Pick<CoreDeps, 'em'>, importId: string, file: string, onProgress?: ImportProgress): Promise<ImportCounts> {
  const em = deps.em;
  const rec = await findImport(em, importId);
  if (!rec) throw new Error(`import ${importId} not found`);
  if (rec.status === 'done' || rec.status === 'failed') return rec.counts;
  const actor = rec.actorId ? ((await em.findOne(User, rec.actorId)) as Actor | null) : null;
  try {
    if (!actor || actor.status !== 'active' || !hasScope(actor, 'user:create')) throw new AppError('FORBIDDEN', 'The admin who started the import may no longer create users');
    const total = await countRows(file);
    await markRunning(em, importId, total);
    const counts = await importRows(deps, rec.processedRows, { ...emptyCounts(), ...rec.counts }, { em, importId, actorId: actor.id, dryRun: rec.dryRun, groupIds: new Map() }, actor, file, total, onProgress);
    await finishImport(em, importId);
    return counts;
  } catch (err) {
    if (err instanceof ImportFileError) await finishImport(em, importId, { code: err.code, message: err.message, row: err.row });
    else if (err instanceof AppError) await finishImport(em, importId, { code: err.code, message: err.message, row: null });
    else throw err;
    return rec.counts;
  }
}

async function countRows(file: string): Promise<number> {
  let n = -1;
  for await (const record of csvRecords(file)) {
    if (n === -1) readHeader(record);
    n++;
  }
  if (n < 0) throw new ImportFileError('EMPTY_FILE', 'row 1: the file is empty; expected a header such as Name,Email,Password,Role', 1);
  return n;
}

async function importRows(
  deps: Pick<CoreDeps, 'em'>,
  resumeAfter: number,
  counts: ImportCounts,
  ctx: BatchContext,
  actor: Actor,
  file: string,
  total: number,
  onProgress?: ImportProgress,
): Promise<ImportCounts> {
  const settings = await getSettings(deps);
  const seen = new Set<string>();
  const labels = new Set<string>();
  let columns: Columns | null = null;
  let processed = 0;
  let batch: ValidRow[] = [];
  let reports: ReportRow[] = [];
  let passwords = 0;
  const writes = new BatchWrites(ctx, counts, onProgress && ((n) => onProgress(n, total)));
  const cut = async () => {
    await writes.add(batch, reports, processed);
    batch = [];
    reports = [];
    passwords = 0;
  };
  try {
    for await (const record of csvRecords(file)) {
      if (!columns) {
        columns = readHeader(record);
        continue;
      }
      processed++;
      const row = processed + 1;
      const checked = checkRow(record, row, columns, settings.passwordMinLength);
      if (isProblem(checked)) {
        if (processed > resumeAfter) reports.push({ ...checked, status: 'invalid' });
      } else if (seen.has(checked.email)) {
        if (processed > resumeAfter) reports.push({ row, email: checked.email, status: 'skipped', code: 'DUPLICATE_EMAIL', message: 'This email appears earlier in the file' });
      } else if (checked.storageLabel && labels.has(checked.storageLabel)) {
        if (processed > resumeAfter) reports.push({ row, email: checked.email, status: 'invalid', code: 'STORAGE_LABEL_TAKEN', message: 'This storage label appears earlier in the file' });
      } else {
        seen.add(checked.email);
        if (checked.storageLabel) labels.add(checked.storageLabel);
        if (processed <= resumeAfter) continue;
        const refusal = roleRefusal(actor, checked.role, settings);
        if (refusal) reports.push({ row, email: checked.email, status: 'invalid', code: 'FORBIDDEN', message: refusal });
        else {
          batch.push(checked);
          if (checked.password) passwords++;
        }
      }
      if (batch.length + reports.length >= BATCH_ROWS || passwords >= BATCH_PASSWORDS) await cut();
    }
    if (batch.length || reports.length || processed > resumeAfter) await cut();
  } catch (err) {
    await writes.settle(); // no batch still writes once the import has stopped
    throw err;
  }
  await writes.finish();
  return counts;
}

function roleRefusal(actor: Actor, role: ValidRow['role'], settings: Parameters<typeof assertMayGrantRole>[3]): string | null {
  try {
    assertMayGrantRole(actor, null, role, settings);
    return null;
  } catch (err) {
    if (err instanceof AppError) return err.message;
    throw err;
  }
}
