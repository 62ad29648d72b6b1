import { fail } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { api } from '#lib/server/caller.ts';
import { callFailure, failLoad } from '#lib/server/errors.ts';
import type { Actions, PageServerLoad } from './$types';

/** The jobs an admin may start, with the wording of their buttons' results. */
const RUNNABLE = {
  'storage-migration': 'Storage migration job queued',
  'recalculate-usage': 'Usage recalculation queued',
  'sweep-orphans': 'Orphan file sweep queued',
} as const;
type Runnable = keyof typeof RUNNABLE;

// Counts come from Redis: when it is away the page still renders, saying so, instead of a 500.
const queueDown = (err: unknown) => err instanceof TRPCError && err.code === 'INTERNAL_SERVER_ERROR';

export const load: PageServerLoad = async (event) => {
  event.depends('admin:jobs'); // the page's auto-refresh reloads just this
  try {
    const { jobs } = await api(event).admin.jobs.list();
    return { jobs, checkedAt: new Date().toISOString() };
  } catch (err) {
    if (!queueDown(err)) failLoad(err, event, 'admin.jobs.list');
    console.error('jobs page: counts unavailable', err);
    return { jobs: null, checkedAt: new Date().toISOString() };
  }
};

export const actions: Actions = {
  run: async (event) => {
    const name = String((await event.request.formData()).get('name') ?? '');
    if (!(name in RUNNABLE)) return fail(400, { toast: { message: 'Unknown job', tone: 'error' as const } });
    try {
      await api(event).admin.jobs.run({ name: name as Runnable });
      return { toast: { message: RUNNABLE[name as Runnable], tone: 'success' as const } };
    } catch (err) {
      if (queueDown(err)) {
        console.error('jobs page: run failed', err);
        return fail(503, { toast: { message: 'The job queue is not reachable; try again shortly', tone: 'error' as const } });
      }
      return fail(400, { toast: { message: callFailure(err, event, 'admin.jobs.run').message, tone: 'error' as const } });
    }
  },
};
