import { adminUserSchema } from '@roster/core';
import { deletedUserSchema, deletionPreviewSchema } from '../../outputs/users.ts';
import { deleteUser, deletionPreview, idSchema, purgeNow, restoreUser } from '@roster/core';
import { z } from 'zod';
import { scopedProcedure } from '../../procedures.ts';

const byId = z.object({ id: idSchema });

/** Scheduled deletion (issue 5): delete, restore, preview, purge now. The grace period itself is a setting. */
export const userDeletionProcedures = {
  delete: scopedProcedure('user:delete')
    .input(
      z.object({
        id: idSchema,
        immediate: z.boolean().default(false),
        transferToUserId: idSchema.nullish(),
      }),
    )
    .output(deletedUserSchema).mutation(({ ctx, input }) => deleteUser(ctx.deps, ctx.actor, input)),
  restore: scopedProcedure('user:delete')
    .input(byId)
    .output(adminUserSchema).mutation(({ ctx, input }) => restoreUser(ctx.deps, ctx.actor, input.id)),
  deletionPreview: scopedProcedure('user:delete')
    .input(byId)
    .output(deletionPreviewSchema).query(({ ctx, input }) => deletionPreview(ctx.deps, ctx.actor, input.id)),
  purgeNow: scopedProcedure('user:delete')
    .input(byId)
    .output(deletedUserSchema).mutation(({ ctx, input }) => purgeNow(ctx.deps, ctx.actor, input.id)),
};
