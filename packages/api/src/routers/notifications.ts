import { markedReadSchema, notificationsPageSchema } from '../outputs/account.ts';
import { adminNotificationsPageSchema } from '../outputs/admin.ts';
import { idSchema, listAllNotifications, listNotifications, markNotificationsRead, pageSchema } from '@roster/core';
import { z } from 'zod';
import { scopedProcedure, signedInProcedure } from '../procedures.ts';
import { t } from '../trpc.ts';

/** The caller's own notifications (quota warnings, …), for the header. */
export const notificationsRouter = t.router({
  list: signedInProcedure()
    .input(z.object({ ...pageSchema, unreadOnly: z.boolean().optional() }).default({ page: 1, pageSize: 25 }))
    .output(notificationsPageSchema).query(({ ctx, input }) => listNotifications(ctx.deps, ctx.actor, input)),
  /** Marks the given ones, or all when `ids` is left out. */
  markRead: signedInProcedure()
    .input(z.object({ ids: z.array(idSchema).max(500).optional() }).default({}))
    .output(markedReadSchema).mutation(({ ctx, input }) => markNotificationsRead(ctx.deps, ctx.actor, input.ids)),
});

/** `admin.notifications.*`: everyone's, e.g. quota warnings on the server stats page. */
export const adminNotificationsRouter = t.router({
  list: scopedProcedure('storage:stats')
    .input(
      z
        .object({ ...pageSchema, userId: idSchema.optional(), kind: z.string().trim().min(1).max(100).optional() })
        .default({ page: 1, pageSize: 25 }),
    )
    .output(adminNotificationsPageSchema).query(({ ctx, input }) => listAllNotifications(ctx.deps, input)),
});
