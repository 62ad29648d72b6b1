import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { User } from './user.ts';

/** A Lucia session, plus what admins want to see about it. `id` is the SHA-256 of the client's token. */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.string().primary(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    expiresAt: p.datetime(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastSeenAt: p.datetime().onCreate(() => new Date()),
    userAgent: p.string().nullable(),
    ip: p.string().nullable(),
    rotate: p.boolean().default(false),
  },
});
export type Session = InferEntity<typeof Session>;
