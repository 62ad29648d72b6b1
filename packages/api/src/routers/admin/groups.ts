import { bulkMembersResultSchema, groupDetailSchema, groupSchema } from '@roster/core';
import { groupDeletedSchema, groupListSchema, setManagersSchema } from '../../outputs/admin.ts';
import { userGroupsSchema } from '../../outputs/users.ts';
import {
  addMembers,
  createGroup,
  deleteGroup,
  getGroup,
  groupDescriptionSchema,
  groupNameSchema,
  idSchema,
  listGroups,
  permissionKeysSchema,
  removeMembers,
  setManagers,
  updateGroup,
  userGroups,
} from '@roster/core';
import { z } from 'zod';
import { scopedProcedure } from '../../procedures.ts';
import { t } from '../../trpc.ts';

/** One bulk call names at most this many users. */
export const MAX_BULK_USERS = 1000;
export const userIdsSchema = z.array(idSchema).min(1, 'Name at least one user').max(MAX_BULK_USERS, `At most ${MAX_BULK_USERS} users per call`);
export const expiresAtSchema = z.iso.datetime({ offset: true }).pipe(z.coerce.date()).nullable().optional();
export const addMembersInput = z.object({ groupId: idSchema, userIds: userIdsSchema, expiresAt: expiresAtSchema });
export const removeMembersInput = z.object({ groupId: idSchema, userIds: userIdsSchema });
const byId = z.object({ id: idSchema });

/** Groups: what they grant and deny, who is in them, who manages them. Admins only; managers use `groups.*`. */
export const adminGroupsRouter = t.router({
  list: scopedProcedure('groups:manage')
    .input(z.object({ query: z.string().trim().max(100).optional() }).default({}))
    .output(groupListSchema).query(({ ctx, input }) => listGroups(ctx.deps, input)),
  get: scopedProcedure('groups:manage')
    .input(byId)
    .output(groupDetailSchema).query(({ ctx, input }) => getGroup(ctx.deps, input.id)),
  create: scopedProcedure('groups:manage')
    .input(
      z.object({
        name: groupNameSchema,
        description: groupDescriptionSchema.nullable().optional(),
        grants: permissionKeysSchema.default([]),
        denies: permissionKeysSchema.default([]),
      }),
    )
    .output(groupSchema).mutation(({ ctx, input }) => createGroup(ctx.deps, ctx.actor, input)),
  update: scopedProcedure('groups:manage')
    .input(
      z.object({
        id: idSchema,
        name: groupNameSchema.optional(),
        description: groupDescriptionSchema.nullable().optional(),
        grants: permissionKeysSchema.optional(),
        denies: permissionKeysSchema.optional(),
      }),
    )
    .output(groupSchema).mutation(({ ctx, input }) => updateGroup(ctx.deps, ctx.actor, input)),
  delete: scopedProcedure('groups:manage')
    .input(byId)
    .output(groupDeletedSchema).mutation(({ ctx, input }) => deleteGroup(ctx.deps, ctx.actor, input.id)),
  addMembers: scopedProcedure('groups:manage')
    .input(addMembersInput)
    .output(bulkMembersResultSchema).mutation(({ ctx, input }) => addMembers(ctx.deps, ctx.actor, input)),
  removeMembers: scopedProcedure('groups:manage')
    .input(removeMembersInput)
    .output(bulkMembersResultSchema).mutation(({ ctx, input }) => removeMembers(ctx.deps, ctx.actor, input)),
  /** Exactly these members manage the group (an empty list: nobody). */
  setManagers: scopedProcedure('groups:manage')
    .input(z.object({ groupId: idSchema, userIds: z.array(idSchema).max(MAX_BULK_USERS) }))
    .output(setManagersSchema).mutation(({ ctx, input }) => setManagers(ctx.deps, ctx.actor, input)),
});

/** `admin.users.groups`: a user's live memberships. */
export const userGroupProcedures = {
  groups: scopedProcedure('groups:manage')
    .input(byId)
    .output(userGroupsSchema).query(({ ctx, input }) => userGroups(ctx.deps, input.id)),
};
