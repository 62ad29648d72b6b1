import { ROLES, USER_STATUSES, type User } from '@roster/db';
import { z } from 'zod';
import { isoDateSchema } from '../output.ts';

/** A user as admins see it. Never carries the password hash or any token (z.object drops unknown keys on the way out). */
export const adminUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  status: z.enum(USER_STATUSES),
  avatarUrl: z.string().nullable(),
  storageLabel: z.string().nullable(),
  quotaBytes: z.number().nullable(),
  usageBytes: z.number(),
  mustChangePassword: z.boolean(),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
  lastActiveAt: isoDateSchema.nullable(),
  isActive: z.boolean(),
  deletedAt: isoDateSchema.nullable(),
  purgeAt: isoDateSchema.nullable(),
  /** Set once the purge has begun (restore is refused from then on). */
  purgeStartedAt: isoDateSchema.nullable(),
  suspendedReason: z.string().nullable(),
  suspendedUntil: isoDateSchema.nullable(),
});
export type AdminUserDto = z.infer<typeof adminUserSchema>;

/** What any signed-in user may learn about another. */
export const publicUserSchema = z.object({ id: z.string(), name: z.string(), avatarUrl: z.string().nullable() });
export type PublicUserDto = z.infer<typeof publicUserSchema>;

/** Timestamps as an entity holds them, or as PostgreSQL text when a page is read as plain rows (list-users.ts). */
type Loose<T> = Date extends T ? Exclude<T, Date> | Date | string : T;
export type UserRow = { [K in keyof User]: Loose<User[K]> };

/** What toAdminUser reads: the columns a page of admin users selects. */
export const ADMIN_USER_FIELDS = [
  'id', 'email', 'name', 'role', 'status', 'avatarUrl', 'storageLabel', 'quotaBytes', 'usageBytes', 'mustChangePassword',
  'createdAt', 'updatedAt', 'lastActiveAt', 'deletedAt', 'purgeAt', 'purgeStartedAt', 'suspendedReason', 'suspendedUntil',
] as const satisfies readonly (keyof User)[];

/** The signed-in caller's account as the session lookup reads it (session-store.ts): enough for the actor and for `auth.me`. */
export type SessionAccount = Pick<UserRow, (typeof ADMIN_USER_FIELDS)[number]>;

export const ACTIVE_WINDOW_MS = 5 * 60_000;
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export function toAdminUser(u: Pick<UserRow, (typeof ADMIN_USER_FIELDS)[number]>, now: Date): AdminUserDto {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    status: u.status,
    avatarUrl: u.avatarUrl ?? null,
    storageLabel: u.storageLabel ?? null,
    quotaBytes: u.quotaBytes == null ? null : Number(u.quotaBytes),
    usageBytes: Number(u.usageBytes ?? 0),
    mustChangePassword: u.mustChangePassword,
    createdAt: new Date(u.createdAt).toISOString(),
    updatedAt: new Date(u.updatedAt).toISOString(),
    lastActiveAt: iso(u.lastActiveAt),
    isActive: !!u.lastActiveAt && now.getTime() - new Date(u.lastActiveAt).getTime() < ACTIVE_WINDOW_MS,
    deletedAt: iso(u.deletedAt),
    purgeAt: iso(u.purgeAt),
    purgeStartedAt: iso(u.purgeStartedAt),
    suspendedReason: u.suspendedReason ?? null,
    suspendedUntil: iso(u.suspendedUntil),
  };
}

export function toPublicUser(u: Pick<User, 'id' | 'name' | 'avatarUrl'>): PublicUserDto {
  return { id: u.id, name: u.name, avatarUrl: u.avatarUrl ?? null };
}
