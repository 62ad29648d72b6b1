import { holdsSchema, releasedSchema } from '../../outputs/admin.ts';
import { listHolds, releaseHold } from '@roster/core';
import { z } from 'zod';
import { scopedProcedure } from '../../procedures.ts';
import { t } from '../../trpc.ts';

/** Brute-force holds: who is held and until when; releasing one lets them try again at once. */
export const adminSecurityRouter = t.router({
  holds: t.router({
    list: scopedProcedure('user:read').output(holdsSchema).query(({ ctx }) => listHolds(ctx.deps)),
    release: scopedProcedure('user:resetPassword')
      .input(z.object({ kind: z.enum(['account', 'ip']), key: z.string().trim().min(1).max(254) }))
      .output(releasedSchema).mutation(({ ctx, input }) => releaseHold(ctx.deps, ctx.actor, input)),
  }),
});
