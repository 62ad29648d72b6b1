import { redirect } from '@sveltejs/kit';
import { api } from '#lib/server/caller.ts';
import { callFailure, failLoad } from '#lib/server/errors.ts';
import { AUDIT_PAGE_SIZE, auditHref, dayAfter, parseAuditView } from '#lib/audit-query.ts';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
  const view = parseAuditView(event.url.searchParams);
  const caller = api(event);
  // The filter boxes take an email too: it becomes the user's id in the URL, which is what a user's page links to.
  for (const key of ['actorId', 'targetId'] as const) {
    const ref = view[key];
    if (!ref || UUID.test(ref)) continue;
    const { items } = await caller.admin.users.list({ query: ref, statuses: ['active', 'suspended', 'deleted'], page: 1, pageSize: 20 }).catch((err) => failLoad(err, event, 'admin.users.list'));
    const user = items.find((u) => u.email.toLowerCase() === ref.toLowerCase());
    if (user) redirect(303, event.url.pathname + auditHref(view, { [key]: user.id, page: 1 }));
    return { view, unknown: ref, items: [], total: 0, pageSize: AUDIT_PAGE_SIZE };
  }
  const result = await caller.admin.audit
    .list({
      page: view.page,
      pageSize: AUDIT_PAGE_SIZE,
      actorId: view.actorId || undefined,
      targetId: view.targetId || undefined,
      action: view.action || undefined,
      from: view.from ? new Date(`${view.from}T00:00:00Z`) : undefined,
      to: view.to ? new Date(dayAfter(view.to)) : undefined,
    })
    .catch((err) => failLoad(err, event, 'admin.audit.list'));
  const lastPage = Math.max(1, Math.ceil(result.total / AUDIT_PAGE_SIZE));
  if (view.page > lastPage) redirect(303, event.url.pathname + auditHref(view, { page: lastPage }));
  return { view, unknown: null, items: result.items, total: result.total, pageSize: AUDIT_PAGE_SIZE };
};

export const actions: Actions = {
  verify: async (event) => {
    try {
      return { verdict: await api(event).admin.audit.verify() };
    } catch (err) {
      return { verdict: null, error: callFailure(err, event, 'admin.audit.verify').message };
    }
  },
};
