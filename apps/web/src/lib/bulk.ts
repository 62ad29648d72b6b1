import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@roster/api';
import { listInput, type UsersView } from './users-query.ts';

/** The users page's bulk actions, as the router takes them (admin.users.bulkPreview / bulk). */
export type BulkInput = inferRouterInputs<AppRouter>['admin']['users']['bulk'];
export type BulkAction = BulkInput['action'];
export type BulkPreview = inferRouterOutputs<AppRouter>['admin']['users']['bulkPreview'];
export type JobStatus = inferRouterOutputs<AppRouter>['admin']['jobs']['get'];

export const BULK_LABELS: Record<BulkAction, string> = {
  approve: 'Approve',
  suspend: 'Suspend',
  unsuspend: 'Unsuspend',
  setRole: 'Set role',
  setQuota: 'Set quota',
  delete: 'Delete',
  restore: 'Restore',
  revokeSessions: 'Revoke sessions',
};

/** Every user the list shows for the view (all pages), as the router's filter. */
export function viewFilter(view: UsersView): NonNullable<BulkInput['filter']> {
  const { query, roles, statuses, groupIds } = listInput(view);
  return { query, roles, statuses, groupIds };
}

async function call<T>(res: Promise<Response>): Promise<T> {
  const r = await res;
  const body = await r.json().catch(() => ({ message: `The server answered ${r.status}` }));
  if (!r.ok) throw new Error(body.message ?? 'Something went wrong');
  return body as T;
}

export const bulkCall = <S extends 'preview' | 'start'>(step: S, input: BulkInput) =>
  call<S extends 'preview' ? BulkPreview : { jobId: string }>(
    fetch('/admin/users/bulk', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ step, input }) }),
  );

export const jobStatus = (id: string) => call<JobStatus>(fetch(`/admin/users/bulk/${encodeURIComponent(id)}`));
