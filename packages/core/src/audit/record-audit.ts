import { AuditLog, type EntityManager } from '@roster/db';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/** Adds an audit row to the unit of work, so it commits with the change it records. */
export function recordAudit(em: EntityManager, entry: AuditEntry): void {
  em.create(AuditLog, {
    actorId: entry.actorId,
    action: entry.action,
    targetId: entry.targetId ?? null,
    details: entry.details ?? {},
  });
}

/** Writes an audit row on its own, for events the failing request around them would otherwise roll back. */
export async function recordAuditNow(em: EntityManager, entry: AuditEntry): Promise<void> {
  const own = em.fork();
  recordAudit(own, entry);
  await own.flush();
}
