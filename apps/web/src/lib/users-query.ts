import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@roster/api';

/** The users page keeps its whole view in the URL, so a filtered list can be shared or bookmarked. */
// The input has a default, so its inferred type includes void.
type ListInput = Exclude<inferRouterInputs<AppRouter>['admin']['users']['list'], void | undefined>;
export type Role = NonNullable<ListInput['roles']>[number];
export type Status = NonNullable<ListInput['statuses']>[number];
export type SortField = NonNullable<ListInput['orderBy']>;
/** A listed user; the list adds each one's groups, which a user's own page reads in full elsewhere. */
export type UserRow = Omit<inferRouterOutputs<AppRouter>['admin']['users']['list']['items'][number], 'groups'>;
/** Which actions to offer on one user (core's offeredUserActions, as admin.users.get's `actions`): each button shows by one entry. */
export type OfferedActions = inferRouterOutputs<AppRouter>['admin']['users']['get']['actions'];

export const ROLE_OPTIONS = ['owner', 'admin', 'user', 'pending'] as const satisfies readonly Role[];
export const STATUS_OPTIONS = ['active', 'suspended', 'deleted'] as const satisfies readonly Status[];
const SORT_FIELDS = ['name', 'email', 'role', 'createdAt', 'lastActiveAt', 'usage'] as const satisfies readonly SortField[];

export const PAGE_SIZE = 25;

export interface UsersView {
  q: string;
  role: Role | '';
  status: Status | '';
  sort: SortField;
  dir: 'asc' | 'desc';
  page: number;
  /** A group's id: only its members are listed. */
  group: string;
}

export const DEFAULT_VIEW: UsersView = { q: '', role: '', status: '', sort: 'createdAt', dir: 'asc', page: 1, group: '' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const oneOf = <T extends string>(list: readonly T[], v: string | null): T | '' =>
  v && (list as readonly string[]).includes(v) ? (v as T) : '';

/** Unknown or malformed parameters fall back to defaults rather than failing the page. */
export function parseView(params: URLSearchParams): UsersView {
  const page = Number.parseInt(params.get('page') ?? '', 10);
  return {
    q: (params.get('q') ?? '').trim().slice(0, 200),
    role: oneOf(ROLE_OPTIONS, params.get('role')),
    status: oneOf(STATUS_OPTIONS, params.get('status')),
    sort: oneOf(SORT_FIELDS, params.get('sort')) || DEFAULT_VIEW.sort,
    dir: params.get('dir') === 'desc' ? 'desc' : 'asc',
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
    group: UUID.test(params.get('group') ?? '') ? params.get('group')!.toLowerCase() : '',
  };
}

/** The query string for a view, leaving defaults out so URLs stay short. */
export function viewHref(view: UsersView, change: Partial<UsersView> = {}): string {
  const next = { ...view, ...change };
  const params = new URLSearchParams();
  for (const key of ['q', 'role', 'status', 'group', 'sort', 'dir', 'page'] as const) {
    if (next[key] !== DEFAULT_VIEW[key]) params.set(key, String(next[key]));
  }
  const qs = params.toString();
  return qs ? `?${qs}` : '?';
}

/** The router input for a view. */
export function listInput(view: UsersView): ListInput {
  return {
    query: view.q || undefined,
    roles: view.role ? [view.role] : undefined,
    statuses: view.status ? [view.status] : undefined,
    groupIds: view.group ? [view.group] : undefined,
    orderBy: view.sort,
    direction: view.dir,
    page: view.page,
    pageSize: PAGE_SIZE,
  };
}
