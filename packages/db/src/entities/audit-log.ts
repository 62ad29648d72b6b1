import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * Who did what to whom, from where; survives the deletion of both. `seq`,
 * `prevHash` and `hash` are filled by the chainer (core/audit/chain.ts)
 * after the row commits, never by the request that writes it.
 */
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
    ip: p.text().nullable(),
    userAgent: p.text().nullable(),
    seq: p.bigint('number').nullable(),
    prevHash: p.text().nullable(),
    hash: p.text().nullable(),
  },
});
export type AuditLog = InferEntity<typeof AuditLog>;
