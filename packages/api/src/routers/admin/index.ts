import { t } from '../../trpc.ts';
import { adminAuditRouter } from './audit.ts';
import { adminApiKeysRouter, adminServiceAccountsRouter } from '../api-keys.ts';
import { adminNotificationsRouter } from '../notifications.ts';
import { adminGroupsRouter, userGroupProcedures } from './groups.ts';
import { adminJobsRouter } from './jobs.ts';
import { adminPermissionsRouter, userPermissionProcedures } from './permissions.ts';
import { adminSecurityRouter } from './security.ts';
import { adminSettingsRouter } from './settings.ts';
import { adminStatsRouter } from './stats.ts';
import { invitationAdminProcedures } from './user-invitations.ts';
import { resetLinkAdminProcedures } from './user-reset-link.ts';
import { userDeletionProcedures } from './user-deletion.ts';
import { userImportProcedures } from './user-import.ts';
import { userAdminProcedures } from './users.ts';
import { userBulkProcedures } from './user-bulk.ts';
import { adminWebhooksRouter } from './webhooks.ts';

/** `admin.users.*` gathers the procedures of several areas, each in its own file. */
export const adminRouter = t.router({
  users: t.router({
    ...userAdminProcedures,
    ...userDeletionProcedures,
    ...invitationAdminProcedures,
    ...resetLinkAdminProcedures,
    ...userGroupProcedures,
    ...userPermissionProcedures,
    ...userImportProcedures,
    ...userBulkProcedures,
  }),
  groups: adminGroupsRouter,
  permissions: adminPermissionsRouter,
  settings: adminSettingsRouter,
  stats: adminStatsRouter,
  jobs: adminJobsRouter,
  notifications: adminNotificationsRouter,
  security: adminSecurityRouter,
  audit: adminAuditRouter,
  apiKeys: adminApiKeysRouter,
  serviceAccounts: adminServiceAccountsRouter,
  webhooks: adminWebhooksRouter,
});
