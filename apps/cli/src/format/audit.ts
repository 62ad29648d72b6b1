import type { Outputs } from '../api-types.ts';
import { relativeTime, table, type Style } from '../cli/output.ts';

export type AuditEvent = Outputs['admin']['audit']['list']['items'][number];

/** "Olga Owner <olga@…>", "system" for the worker, the bare id once the account is gone. */
export function who(id: string | null, name: string | null, email: string | null, none = 'system'): string {
  if (!id) return none;
  if (email) return name ? `${name} <${email}>` : email;
  return name ?? id;
}

/** `email: a@x → b@x, name: Ann → Anna`, or the details' keys for events that record no diff. */
export function changes(details: Record<string, unknown>): string {
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const { before, after } = details as { before?: Record<string, unknown>; after?: Record<string, unknown> };
  if (before && after && typeof after === 'object') {
    return Object.keys(after)
      .map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`)
      .join(', ');
  }
  return Object.entries(details)
    .map(([k, v]) => `${k}=${show(v)}`)
    .join(' ');
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function auditTable(items: readonly AuditEvent[], s: Style, wide: boolean): string {
  const now = Date.now();
  return table(
    items,
    [
      { header: 'WHEN', cell: (e) => (wide ? e.at : relativeTime(e.at, now)) },
      { header: 'ACTION', cell: (e) => s.bold(e.action) },
      { header: 'ACTOR', cell: (e) => who(e.actorId, e.actorName, e.actorEmail) },
      { header: 'TARGET', cell: (e) => who(e.targetId, e.targetName, e.targetEmail, '—') },
      ...(wide ? [{ header: 'IP', cell: (e: AuditEvent) => e.ip ?? '—' }] : []),
      { header: 'DETAILS', cell: (e) => s.dim(wide ? changes(e.details) : clip(changes(e.details), 60)) },
    ],
    s,
  );
}
