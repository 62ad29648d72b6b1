/** The audit page's view in the URL (shareable): filters and page, and what admin.audit.list gets for it. */

export const AUDIT_PAGE_SIZE = 50;

export interface AuditView {
  page: number;
  /** A user id, or an email the page resolves to one. */
  actorId: string;
  targetId: string;
  action: string;
  /** yyyy-mm-dd, both days included. */
  from: string;
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const clean = (v: string | null, max: number) => (v ?? '').trim().slice(0, max);

export function parseAuditView(params: URLSearchParams): AuditView {
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  const day = (k: string) => (DAY.test(params.get(k) ?? '') ? params.get(k)! : '');
  return {
    page: Number.isFinite(page) && page >= 1 && page <= 100_000 ? page : 1,
    actorId: clean(params.get('actorId'), 254),
    targetId: clean(params.get('targetId'), 254),
    action: clean(params.get('action'), 100),
    from: day('from'),
    to: day('to'),
  };
}

/** `?…` for the view with `change` applied; empty values are left out. */
export function auditHref(view: AuditView, change: Partial<AuditView> = {}): string {
  const next = { ...view, ...change };
  const params = new URLSearchParams();
  for (const key of ['actorId', 'targetId', 'action', 'from', 'to'] as const) if (next[key]) params.set(key, next[key]);
  if (next.page > 1) params.set('page', String(next.page));
  const s = params.toString();
  return s ? `?${s}` : '?';
}

/** The day after `to` at midnight UTC: the list's `to` is exclusive, the page's last day is included. */
export function dayAfter(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

/** How an event's details read in the table: a diff as `field: before → after`, anything else as `key: value`. */
export function describeDetails(details: Record<string, unknown>): { label: string; before?: string; after?: string; value?: string }[] {
  const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  const { before, after } = details as { before?: Record<string, unknown>; after?: Record<string, unknown> };
  if (before && after && typeof before === 'object' && typeof after === 'object') {
    return Object.keys(after).map((k) => ({ label: k, before: show(before[k]), after: show(after[k]) }));
  }
  return Object.entries(details).map(([k, v]) => ({ label: k, value: show(v) }));
}
