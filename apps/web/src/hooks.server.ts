import type { Handle, HandleServerError } from '@sveltejs/kit';
import { contextFor } from '#lib/server/context.ts';

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.ctx = await contextFor(event);
  return resolve(event);
};

export const handleError: HandleServerError = ({ error, status }) => {
  if (status >= 500) console.error(error);
  return { message: status >= 500 ? 'Internal server error' : (error as Error)?.message ?? 'Error' };
};
