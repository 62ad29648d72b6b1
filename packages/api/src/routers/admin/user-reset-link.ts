import { resetLinkSchema } from '../../outputs/users.ts';
import { createResetLink, idSchema } from '@roster/core';
import { z } from 'zod';
import { scopedProcedure } from '../../procedures.ts';

/** n8n-style reset links; spread into `admin.users` by index.ts. */
export const resetLinkAdminProcedures = {
  /** Returns `{token, path: '/reset/<token>', expiresAt}` once; earlier unused links stop working. */
  passwordResetLink: scopedProcedure('user:resetPassword')
    .input(z.object({ id: idSchema }))
    .output(resetLinkSchema).mutation(({ ctx, input }) => createResetLink(ctx.deps, ctx.actor, input.id)),
};
