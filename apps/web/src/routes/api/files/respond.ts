import { json } from '@sveltejs/kit';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { toTRPCError } from '@roster/api';
import { AppError } from '@roster/core';
import { z } from 'zod';

/**
 * The file endpoints answer errors as `{ error: { appCode, message, fieldErrors? } }`
 * with the status the router would use for the same domain code (413 for
 * QUOTA_EXCEEDED, 401 for UNAUTHENTICATED, …), so the CLI handles both alike.
 */
export function errorResponse(err: unknown): Response {
  if (err instanceof z.ZodError) {
    const fieldErrors: Record<string, string[]> = {};
    for (const i of err.issues) (fieldErrors[i.path.join('.') || '_'] ??= []).push(i.message);
    return json({ error: { appCode: 'VALIDATION', message: 'Invalid request', fieldErrors } }, { status: 400 });
  }
  if (err instanceof AppError) {
    const status = getHTTPStatusCodeFromError(toTRPCError(err));
    return json({ error: { appCode: err.code, message: err.message, fieldErrors: err.fields } }, { status });
  }
  console.error('files endpoint:', err);
  return json({ error: { message: 'Internal server error' } }, { status: 500 });
}
