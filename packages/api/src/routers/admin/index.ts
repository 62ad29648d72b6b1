import { t } from '../../trpc.ts';
import { adminUsersRouter } from './users.ts';

export const adminRouter = t.router({
  users: adminUsersRouter,
});
