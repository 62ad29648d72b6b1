import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit/hooks';
import { announceSetupToken, withRequestAuditScope } from '@roster/api';
import { contextFor } from '#lib/server/context.ts';
import { formDataOr400 } from '#lib/server/form-body.ts';
import { withSecurityHeaders } from '#lib/server/security-headers.ts';

/** Runs when the server starts: prints the first-run link while no owner exists. */
export const init: ServerInit = () => announceSetupToken();

export const handle: Handle = async ({ event, resolve }) => {
  const ctx = (event.locals.ctx = await contextFor(event));
  if (event.request.method === 'POST') formDataOr400(event.request);
  // Endpoints that call core directly (file uploads and deletions) audit with the client's address and user agent too.
  return withSecurityHeaders(event.url, await withRequestAuditScope(ctx, () => resolve(event)));
};

/** Expected errors (error(), 404s) keep their own message; unexpected ones are logged once and stay opaque. */
export const handleError: HandleServerError = ({ kind, error }) => {
  if (kind !== 'unknown') return;
  console.error(error);
  return { message: 'Internal server error' };
};
