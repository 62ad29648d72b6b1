import { Readable } from 'node:stream';
import { idSchema, openFileDownload } from '@roster/core';
import { errorResponse } from '../respond.ts';
import type { RequestHandler } from './$types';

/** RFC 6266: an ASCII fallback plus the exact UTF-8 name. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Streams a file to its owner or an admin. Always an attachment, never
 * sniffed, sandboxed: a user's upload can never run as a page of this site.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
  try {
    const id = idSchema.parse(params.id);
    const { file, stream } = await openFileDownload(locals.ctx.deps, locals.ctx.actor, id);
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
      headers: {
        'content-type': file.mimeType,
        'content-length': String(file.size),
        'content-disposition': contentDisposition(file.name),
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, no-store',
        etag: `"${file.sha1}"`,
        'x-file-id': file.id,
        'x-file-sha1': file.sha1,
      },
    });
  } catch (err) {
    return errorResponse(err);
  }
};
