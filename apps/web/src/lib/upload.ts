/**
 * Browser side of `POST /api/files`. XMLHttpRequest rather than fetch: only
 * XHR reports upload progress, and it sends a File straight from disk, so
 * large files are never read into memory here either.
 */
export interface UploadedFile {
  id: string;
  name: string;
  size: number;
}

export type UploadResult = { ok: true; file: UploadedFile } | { ok: false; message: string; appCode?: string };

export interface UploadOptions {
  /** Upload into another user's files (admins). */
  as?: string;
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

export function uploadFile(file: File, opts: UploadOptions = {}): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const url = new URL('/api/files', location.origin);
    if (opts.as) url.searchParams.set('as', opts.as);
    xhr.open('POST', url);
    // Headers are Latin-1: the server expects the name percent-encoded.
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => opts.onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      const body = xhr.response as { file?: UploadedFile; error?: { message?: string; appCode?: string } } | null;
      if (xhr.status === 201 && body?.file) return resolve({ ok: true, file: body.file });
      resolve({ ok: false, message: body?.error?.message ?? `Upload failed (HTTP ${xhr.status})`, appCode: body?.error?.appCode });
    };
    xhr.onerror = () => resolve({ ok: false, message: 'The connection was lost during the upload' });
    xhr.onabort = () => resolve({ ok: false, message: 'Upload cancelled', appCode: 'ABORTED' });
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
