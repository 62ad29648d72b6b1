import type { ServerResponse } from 'node:http';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { AppError, RateLimitedError } from '@roster/core';
import { z } from 'zod';
import { toTRPCError } from '../errors.ts';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/**
 * The file endpoints answer errors as `{ error: { appCode, message, fieldErrors? } }`
 * with the status the router would use for the same domain code (413 for
 * QUOTA_EXCEEDED, 401 for UNAUTHENTICATED, …), so the CLI handles both alike.
 * Mid-download the connection is cut instead: the client sees a short file.
 */
export function answerFileError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    console.error('files endpoint:', err);
    return void res.destroy();
  }
  if (err instanceof z.ZodError) {
    const fieldErrors: Record<string, string[]> = {};
    for (const i of err.issues) (fieldErrors[i.path.join('.') || '_'] ??= []).push(i.message);
    return sendJson(res, 400, { error: { appCode: 'VALIDATION', message: 'Invalid request', fieldErrors } });
  }
  if (err instanceof AppError) {
    const status = getHTTPStatusCodeFromError(toTRPCError(err));
    const retry: Record<string, string> = err instanceof RateLimitedError ? { 'retry-after': String(err.retryAfterSec) } : {};
    return sendJson(res, status, { error: { appCode: err.code, message: err.message, fieldErrors: err.fields } }, retry);
  }
  console.error('files endpoint:', err);
  sendJson(res, 500, { error: { message: 'Internal server error' } });
}
