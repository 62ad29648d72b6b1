import { bulkMembersResultSchema } from '@roster/core';
import { myGroupsSchema } from '../outputs/admin.ts';
import { addMembers, assertMayManageMembers, myGroups, removeMembers } from '@roster/core';
import { signedInProcedure } from '../procedures.ts';
import { t } from '../trpc.ts';
import { addMembersInput, removeMembersInput } from './admin/groups.ts';

/**
 * Delegated management: a group's managers add and remove its members
 * (never its permissions) without being admins. Any other caller gets
 * FORBIDDEN; admins may use these too.
 */
export const groupsRouter = t.router({
  mine: signedInProcedure().output(myGroupsSchema).query(({ ctx }) => myGroups(ctx.deps, ctx.actor)),
  addMembers: signedInProcedure()
    .input(addMembersInput)
    .output(bulkMembersResultSchema).mutation(async ({ ctx, input }) => addMembers(ctx.deps, ctx.actor, input, await assertMayManageMembers(ctx.deps, ctx.actor, input.groupId))),
  removeMembers: signedInProcedure()
    .input(removeMembersInput)
    .output(bulkMembersResultSchema).mutation(async ({ ctx, input }) =>
      removeMembers(ctx.deps, ctx.actor, input, await assertMayManageMembers(ctx.deps, ctx.actor, input.groupId)),
    ),
});
