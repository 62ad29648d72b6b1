import { api } from '#lib/server/caller.ts';
import { failLoad } from '#lib/server/errors.ts';
import { pageParam } from '#lib/server/file-actions.ts';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

/** Server stats (Immich's page): totals, usage per user largest first, and the latest quota warnings. */
export const load: PageServerLoad = async (event) => {
  const page = pageParam(event.url);
  const c = api(event);
  const [stats, warnings] = await Promise.all([
    c.admin.stats.get({ page, pageSize: PAGE_SIZE }),
    c.admin.notifications.list({ page: 1, pageSize: 8, kind: 'storage.quota' }),
  ]).catch((err) => failLoad(err, event, 'admin.stats.get'));
  return { stats, warnings: warnings.items, page, pageSize: PAGE_SIZE };
};
