import { api } from '#lib/server/caller.ts';
import { callFailure } from '#lib/server/errors.ts';
import type { RequestHandler } from './$types';

const PAGE = 1000;
const cell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  // The report is opened in spreadsheets: cells that would run as formulas are quoted with a leading '.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * The import page's poll (`GET …/<jobId>`: progress, counts and the first
 * page of the report, JSON) and its download (`?format=csv`: the whole
 * report, streamed page by page).
 */
export const GET: RequestHandler = async (event) => {
  const jobId = event.params.jobId;
  const caller = api(event);
  try {
    const first = await caller.admin.users.importStatus({ jobId, limit: event.url.searchParams.get('format') === 'csv' ? PAGE : 200 });
    if (event.url.searchParams.get('format') !== 'csv') return Response.json(first);
    const total = first.report.total;
    const stream = new ReadableStream<string>({
      async start(c) {
        c.enqueue('row,email,status,code,message\r\n');
        for (let offset = 0; offset < total; offset += PAGE) {
          const items = offset === 0 ? first.report.items : (await caller.admin.users.importStatus({ jobId, offset, limit: PAGE })).report.items;
          c.enqueue(items.map((r) => [r.row, r.email, r.status, r.code, r.message].map(cell).join(',') + '\r\n').join(''));
        }
        c.close();
      },
    });
    return new Response(stream.pipeThrough(new TextEncoderStream()), {
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="import-report-${jobId.slice(0, 8)}.csv"` },
    });
  } catch (err) {
    const f = callFailure(err, event, 'admin.users.importStatus');
    return Response.json({ message: f.message }, { status: f.appCode === 'NOT_FOUND' ? 404 : f.appCode === 'FORBIDDEN' ? 403 : 400 });
  }
};
