import { getSettings, instanceSettingsPatchSchema, recordAudit, updateSettings } from '@roster/core';
import { scopedProcedure } from '../../procedures.ts';
import { t } from '../../trpc.ts';

export const adminSettingsRouter = t.router({
  get: scopedProcedure('settings:read').query(({ ctx }) => getSettings(ctx.deps)),
  update: scopedProcedure('settings:update')
    .input(instanceSettingsPatchSchema)
    .mutation(async ({ ctx, input }) => {
      recordAudit(ctx.em, { actorId: ctx.actor.id, action: 'settings.update', details: input });
      return updateSettings(ctx.deps, input);
    }),
});
