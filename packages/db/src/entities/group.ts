import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { User } from './user.ts';

/**
 * A group grants and denies permission keys (see core/permissions); its name
 * is unique case-insensitively (index on lower(name), migration 0017).
 * `grants` and `denies` are JSON arrays of catalogue keys.
 */
export const Group = defineEntity({
  name: 'Group',
  tableName: 'groups',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    name: p.string(),
    description: p.string().nullable(),
    grants: p.json<string[]>().onCreate(() => []),
    denies: p.json<string[]>().onCreate(() => []),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type Group = InferEntity<typeof Group>;

/**
 * One user in one group. `expiresAt` ends it (a delayed job deletes the row
 * then; effective permissions ignore an expired row before that). A manager
 * may add and remove members of this group only.
 */
export const GroupMember = defineEntity({
  name: 'GroupMember',
  tableName: 'group_members',
  properties: {
    group: () => p.manyToOne(Group).primary().deleteRule('cascade'),
    user: () => p.manyToOne(User).primary().deleteRule('cascade'),
    manager: p.boolean().default(false),
    expiresAt: p.datetime().nullable(),
    addedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type GroupMember = InferEntity<typeof GroupMember>;

/** The default permission template: a row overrides the catalogue's default for its key. */
export const PermissionDefault = defineEntity({
  name: 'PermissionDefault',
  tableName: 'permission_defaults',
  properties: {
    key: p.string().primary(),
    allowed: p.boolean(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
export type PermissionDefault = InferEntity<typeof PermissionDefault>;
