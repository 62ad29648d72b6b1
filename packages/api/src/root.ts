import { adminRouter } from './routers/admin/index.ts';
import { authRouter } from './routers/auth.ts';
import { filesRouter } from './routers/files.ts';
import { groupsRouter } from './routers/groups.ts';
import { meRouter } from './routers/me.ts';
import { notificationsRouter } from './routers/notifications.ts';
import { permissionsRouter } from './routers/permissions.ts';
import { setupRouter } from './routers/setup.ts';
import { usersRouter } from './routers/users.ts';
import { t } from './trpc.ts';

export const appRouter = t.router({
  setup: setupRouter,
  auth: authRouter,
  admin: adminRouter,
  users: usersRouter,
  me: meRouter,
  files: filesRouter,
  notifications: notificationsRouter,
  groups: groupsRouter,
  permissions: permissionsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = t.createCallerFactory(appRouter);
