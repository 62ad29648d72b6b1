import { adminRouter } from './routers/admin/index.ts';
import { authRouter } from './routers/auth.ts';
import { meRouter } from './routers/me.ts';
import { setupRouter } from './routers/setup.ts';
import { usersRouter } from './routers/users.ts';
import { t } from './trpc.ts';

export const appRouter = t.router({
  setup: setupRouter,
  auth: authRouter,
  admin: adminRouter,
  users: usersRouter,
  me: meRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = t.createCallerFactory(appRouter);
