/**
 * Browser side of `POST /api/users/import`: XMLHttpRequest sends the File
 * straight from disk with upload progress (as upload.ts does for files);
 * the import then runs as a job that the page polls.
 */
export type StartResult = { ok: true; jobId: string } | { ok: false; message: string };

export function startImport(file: File, dryRun: boolean, onProgress: (sent: number, total: number) => void): Promise<StartResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/users/import${dryRun ? '?dryRun=1' : ''}`);
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    xhr.setRequestHeader('content-type', 'text/csv');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      const body = xhr.response as { jobId?: string; error?: { message?: string } } | null;
      if (xhr.status === 202 && body?.jobId) return resolve({ ok: true, jobId: body.jobId });
      resolve({ ok: false, message: body?.error?.message ?? `The upload failed (HTTP ${xhr.status})` });
    };
    xhr.onerror = () => resolve({ ok: false, message: 'The connection was lost during the upload' });
    xhr.send(file);
  });
}

export interface ImportReportRow {
  row: number;
  email: string | null;
  status: 'imported' | 'valid' | 'skipped' | 'invalid';
  code: string | null;
  message: string | null;
}

export interface ImportView {
  jobId: string;
  dryRun: boolean;
  status: 'queued' | 'running' | 'done' | 'failed';
  totalRows: number | null;
  processedRows: number;
  counts: { imported: number; valid: number; skipped: number; invalid: number };
  error: { code: string; message: string; row: number | null } | null;
  report: { total: number; items: ImportReportRow[] };
}

/** The rows worth a look (skipped or invalid), from the first page of the report. */
export const problemRows = (v: ImportView) => v.report.items.filter((r) => r.status === 'skipped' || r.status === 'invalid');
