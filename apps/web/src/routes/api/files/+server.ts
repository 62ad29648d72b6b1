import { Readable } from 'node:stream';
import { json } from '@sveltejs/kit';
import { AppError, fileOwnerFor, idSchema, uploadFile } from '@roster/core';
import { z } from 'zod';
import { errorResponse } from './respond.ts';
import type { RequestHandler } from './$types';

const uploadRequest = z.object({
  /** `x-file-name` (percent-encoded UTF-8, as headers are Latin-1) or `?name=`. */
  name: z.string().min(1, 'Give the file name in x-file-name or ?name=').max(1024),
  as: idSchema.optional(),
  size: z.coerce.number().int().min(0).optional(),
});

function decodeName(header: string | null): string | null {
  if (header == null) return null;
  try {
    return decodeURIComponent(header);
  } catch {
    throw new AppError('VALIDATION', 'x-file-name must be percent-encoded UTF-8');
  }
}

/**
 * Streaming upload: the raw body is the file. Auth is the request's session
 * cookie or `Authorization: Bearer`; `?as=<userId>` uploads for another user
 * (admins). 201 `{ file }`; 413 `QUOTA_EXCEEDED` leaves no file and no row.
 */
export const POST: RequestHandler = async ({ request, url, locals }) => {
  try {
    fileOwnerFor(locals.ctx.actor);
    const input = uploadRequest.parse({
      name: decodeName(request.headers.get('x-file-name')) ?? url.searchParams.get('name') ?? '',
      as: url.searchParams.get('as') ?? undefined,
      size: request.headers.get('content-length') ?? undefined,
    });
    const file = await uploadFile(locals.ctx.deps, locals.ctx.actor, {
      ownerId: input.as,
      name: input.name,
      mimeType: request.headers.get('content-type'),
      size: input.size ?? null,
      body: request.body ? Readable.fromWeb(request.body as import('node:stream/web').ReadableStream) : Readable.from([]),
    });
    return json({ file }, { status: 201 });
  } catch (err) {
    return errorResponse(err);
  }
};
