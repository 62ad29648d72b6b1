import { permissionsSchema } from '../../outputs/account.ts';
import { catalogueSchema } from '../../outputs/admin.ts';
import { permissionSourcesSchema } from '../../outputs/users.ts';
import { getDefaultPermissions, permissionCatalogue, permissionKeySchema, setDefaultPermissions, userPermissionSources, idSchema, MAX_KEYS } from '@roster/core';
import { z } from 'zod';
import { scopedProcedure } from '../../procedures.ts';
import { t } from '../../trpc.ts';

/** `{key: boolean}` naming at most MAX_KEYS keys; unknown keys are refused in core (UNKNOWN_PERMISSION). */
export const permissionValuesSchema = z
  .record(permissionKeySchema, z.boolean())
  .refine((o) => Object.keys(o).length <= MAX_KEYS, `At most ${MAX_KEYS} keys`);

/** The default permission template every user starts from. */
export const adminPermissionsRouter = t.router({
  catalogue: scopedProcedure('permissions:manage').output(catalogueSchema).query(({ ctx }) => permissionCatalogue(ctx.deps)),
  getDefault: scopedProcedure('permissions:manage').output(permissionsSchema).query(({ ctx }) => getDefaultPermissions(ctx.deps)),
  /** Keys not named keep their value. */
  setDefault: scopedProcedure('permissions:manage')
    .input(z.object({ permissions: permissionValuesSchema }))
    .output(permissionsSchema).mutation(({ ctx, input }) => setDefaultPermissions(ctx.deps, ctx.actor, input)),
});

/** `admin.users.permissions`: each effective key of a user with its source (role, default, group X, denied by group Y). */
export const userPermissionProcedures = {
  permissions: scopedProcedure('permissions:check')
    .input(z.object({ id: idSchema }))
    .output(permissionSourcesSchema).query(({ ctx, input }) => userPermissionSources(ctx.deps, input.id)),
};
