import { listUsers, pageSchema, USER_ORDER_FIELDS } from '@roster/core';
import { ROLES, USER_STATUSES } from '@roster/db';
import { z } from 'zod';
import { scopedProcedure } from '../../procedures.ts';
import { t } from '../../trpc.ts';

export const listUsersInput = z.object({
  query: z.string().trim().max(200).optional(),
  roles: z.array(z.enum(ROLES)).optional(),
  statuses: z.array(z.enum(USER_STATUSES)).optional(),
  orderBy: z.enum(USER_ORDER_FIELDS).optional(),
  direction: z.enum(['asc', 'desc']).optional(),
  ...pageSchema,
});

export const adminUsersRouter = t.router({
  list: scopedProcedure('user:list')
    .input(listUsersInput.default({ page: 1, pageSize: 25 }))
    .query(({ ctx, input }) => listUsers(ctx.deps, input)),
});
