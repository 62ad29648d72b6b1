import { createCaller } from '@roster/api';
import type { RequestEvent } from '@sveltejs/kit';

/** Pages call the router, not core: one place for authorization, validation and audit. */
export function api(event: Pick<RequestEvent, 'locals'>) {
  return createCaller(event.locals.ctx);
}
