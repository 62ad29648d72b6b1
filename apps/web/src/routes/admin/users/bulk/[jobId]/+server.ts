import { api } from '#lib/server/caller.ts';
import { callFailure } from '#lib/server/errors.ts';
import type { RequestHandler } from './$types';

/** The bulk progress toast polls here: admin.jobs.get for one job. */
export const GET: RequestHandler = async (event) => {
  try {
    return Response.json(await api(event).admin.jobs.get({ id: event.params.jobId }));
  } catch (err) {
    const f = callFailure(err, event, 'admin.jobs.get');
    return Response.json({ message: f.message }, { status: 400 });
  }
};
