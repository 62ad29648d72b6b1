import { api } from '#lib/server/caller.ts';
import { callFailure } from '#lib/server/errors.ts';
import type { RequestHandler } from './$types';

/**
 * The users page's bulk action bar: `{ step: 'preview' | 'start', input }`
 * with input as admin.users.bulkPreview and admin.users.bulk take it (the
 * router validates it). A server route, so the page calls the router the
 * same way its loads and actions do.
 */
export const POST: RequestHandler = async (event) => {
  let body: { step?: string; input?: unknown };
  try {
    body = await event.request.json();
  } catch {
    return Response.json({ message: 'Expected JSON' }, { status: 400 });
  }
  const caller = api(event).admin.users;
  const path = body.step === 'start' ? 'admin.users.bulk' : 'admin.users.bulkPreview';
  try {
    const input = body.input as Parameters<typeof caller.bulk>[0];
    return Response.json(body.step === 'start' ? await caller.bulk(input) : await caller.bulkPreview(input));
  } catch (err) {
    const f = callFailure(err, event, path);
    return Response.json({ message: f.message, fieldErrors: f.fieldErrors }, { status: 400 });
  }
};
