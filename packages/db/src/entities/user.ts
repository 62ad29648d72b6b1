import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** `service`: no password and no web sign-in; an account that exists to own API keys. */
export const ROLES = ['owner', 'admin', 'user', 'pending', 'service'] as const;
export type Role = (typeof ROLES)[number];
export const USER_STATUSES = ['active', 'suspended', 'deleted'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    /** Stored lower-cased; a unique index on lower(email) guards it too. */
    email: p.string(),
    name: p.string(),
    role: p.enum(ROLES).default('user'),
    status: p.enum(USER_STATUSES).default('active'),
    /** Argon2id hash; `lazy` keeps it out of every query that does not ask for it. */
    passwordHash: p.string().nullable().lazy(),
    mustChangePassword: p.boolean().default(false),
    avatarUrl: p.string().nullable(),
    storageLabel: p.string().nullable(),
    quotaBytes: p.bigint('number').nullable(),
    usageBytes: p.bigint('number').default(0),
    settings: p.json<Record<string, unknown>>().onCreate(() => ({})),
    info: p.json<Record<string, unknown>>().onCreate(() => ({})),
    statusEmoji: p.string().nullable(),
    statusMessage: p.string().nullable(),
    statusExpiresAt: p.datetime().nullable(),
    suspendedReason: p.string().nullable(),
    suspendedUntil: p.datetime().nullable(),
    lastActiveAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    deletedAt: p.datetime().nullable(),
    purgeAt: p.datetime().nullable(),
    /** Set when the purge claims the row; from then on restore is refused. */
    purgeStartedAt: p.datetime().nullable(),
    /** What the purge found when it began (audited when it ends). */
    purgeCounts: p.json<Record<string, number>>().nullable(),
    /** Set once when the purge failed for good (see migration 0011); the sweeps skip the row until restore or purge-now. */
    purgeFailedAt: p.datetime().nullable(),
    purgeFailure: p.string().nullable(),
    transferToUserId: p.uuid().nullable(),
    deletedById: p.uuid().nullable(),
  },
});
export type User = InferEntity<typeof User>;
