import { t } from '../../trpc.ts';
import { adminSettingsRouter } from './settings.ts';
import { invitationAdminProcedures } from './user-invitations.ts';
import { resetLinkAdminProcedures } from './user-reset-link.ts';
import { userAdminProcedures } from './users.ts';

/** `admin.users.*` gathers the procedures of several areas, each in its own file. */
export const adminRouter = t.router({
  users: t.router({
    ...userAdminProcedures,
    ...invitationAdminProcedures,
    ...resetLinkAdminProcedures,
  }),
  settings: adminSettingsRouter,
});
