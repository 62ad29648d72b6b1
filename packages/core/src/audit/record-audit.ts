import { AuditLog, type EntityManager } from '@roster/db';
import { currentAuditScope } from './audit-scope.ts';
import { redactSecrets } from './redact.ts';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetId?: string | null;
  /** Free-form; secret-named keys (password, hash, token, …) are redacted before they are stored. */
  details?: Record<string, unknown>;
  /** The client's address and user agent; by default those of the request around the call (audit-scope.ts). */
  ip?: string | null;
  userAgent?: string | null;
}

/** Adds an audit row to the unit of work, so it commits with the change it records; the chainer links it later. */
export function recordAudit(em: EntityManager, entry: AuditEntry): void {
  const scope = currentAuditScope();
  em.create(AuditLog, {
    actorId: entry.actorId,
    action: entry.action,
    targetId: entry.targetId ?? null,
    details: redactSecrets(entry.details ?? {}) as Record<string, unknown>,
    ip: (entry.ip !== undefined ? entry.ip : scope?.ip) ?? null,
    userAgent: ((entry.userAgent !== undefined ? entry.userAgent : scope?.userAgent) ?? null)?.slice(0, 400) ?? null,
  });
}

/** Writes an audit row on its own, for events the failing request around them would otherwise roll back. */
export async function recordAuditNow(em: EntityManager, entry: AuditEntry): Promise<void> {
  const own = em.fork();
  recordAudit(own, entry);
  await own.flush();
}
