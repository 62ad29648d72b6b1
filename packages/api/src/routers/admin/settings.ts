import { instanceSettingsSchema } from '@roster/core';
import { changeSettings, getSettings, instanceSettingsPatchSchema } from '@roster/core';
import { scopedProcedure } from '../../procedures.ts';
import { t } from '../../trpc.ts';

export const adminSettingsRouter = t.router({
  get: scopedProcedure('settings:read').output(instanceSettingsSchema).query(({ ctx }) => getSettings(ctx.deps)),
  update: scopedProcedure('settings:update')
    .input(instanceSettingsPatchSchema)
    .output(instanceSettingsSchema).mutation(({ ctx, input }) => changeSettings(ctx.deps, ctx.actor, input)),
});
