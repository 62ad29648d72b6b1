import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** Who did what to whom; survives the deletion of both. */
export const AuditLog = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_log',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    at: p.datetime().onCreate(() => new Date()),
    actorId: p.uuid().nullable(),
    action: p.string(),
    targetId: p.uuid().nullable(),
    details: p.json<Record<string, unknown>>().onCreate(() => ({})),
  },
});
export type AuditLog = InferEntity<typeof AuditLog>;
