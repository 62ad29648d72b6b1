import { t } from '../../trpc.ts';
import { adminSettingsRouter } from './settings.ts';
import { adminUsersRouter } from './users.ts';

export const adminRouter = t.router({
  users: adminUsersRouter,
  settings: adminSettingsRouter,
});
