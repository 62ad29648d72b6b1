import { version } from '$app/env';
import { loadEnv } from '@roster/config';
import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import type { PageServerLoad } from './$types';

/** What an admin can learn about this instance today; instance settings join it with the lifecycle work. */
export const load: PageServerLoad = async (event) => {
  const { me } = await event.parent();
  const { total } = await api(event)
    .admin.users.list({ page: 1, pageSize: 1 })
    .catch((err) => failLoad(err, event, 'admin.users.list'));
  // SvelteKit's default version name is the build time in milliseconds.
  const built = /^\d{12,}$/.test(version) ? new Date(Number(version)).toISOString() : null;
  return {
    instance: {
      address: event.url.origin,
      build: built ?? version,
      builtAt: built,
      node: process.version,
      dataDir: loadEnv().ROSTER_DATA_DIR,
      users: total,
    },
    account: { ...me, sessionExpiresAt: event.locals.ctx.session?.expiresAt.toISOString() ?? null },
  };
};
