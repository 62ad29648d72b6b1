import { userPermissionsSchema } from '../outputs/account.ts';
import { checkPermissions, idSchema, permissionKeysSchema } from '@roster/core';
import { z } from 'zod';
import { scopedProcedure } from '../procedures.ts';
import { t } from '../trpc.ts';

/** For services: "may this user do X?". Admins today; API keys with a scope will reuse it. */
export const permissionsRouter = t.router({
  /** `{userId, permissions: {key: boolean}}` for the named keys (all when none), of `userId` or the caller. */
  check: scopedProcedure('permissions:check')
    .input(z.object({ userId: idSchema.optional(), keys: permissionKeysSchema.default([]) }))
    .output(userPermissionsSchema).query(({ ctx, input }) => checkPermissions(ctx.deps, ctx.actor, input)),
});
