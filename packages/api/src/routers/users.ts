import { publicUserSchema } from '@roster/core';
import { searchUsers } from '@roster/core';
import { z } from 'zod';
import { signedInProcedure } from '../procedures.ts';
import { t } from '../trpc.ts';

/** What every signed-in user may see of others: id, name, avatar. */
export const usersRouter = t.router({
  search: signedInProcedure()
    .input(z.object({ query: z.string().trim().min(1).max(100) }))
    .output(z.array(publicUserSchema)).query(({ ctx, input }) => searchUsers(ctx.deps, ctx.actor, input.query)),
});
