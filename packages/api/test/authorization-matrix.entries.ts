/**
 * Who may call what: one entry per procedure path of the router, no
 * wildcards (issue 3 onwards). authorization-matrix.int.test.ts checks every
 * path against it, against each procedure's own meta and against core's
 * role → scope table.
 */
import type { Scope } from '@roster/core';

export type Role = 'owner' | 'admin' | 'user' | 'pending';
export type Entry = {
  access: 'public' | 'signedIn' | 'self' | { scope: Scope; roles: readonly Role[] };
  /** Input fields that need a further scope (meta.fieldScopes); proven in admin-users-update.int.test.ts. */
  fieldScopes?: Record<string, Scope>;
  allowPending?: boolean;
  allowMustChange?: boolean;
  /** Never callable with an API key (api-key-scopes.int.test.ts proves the refusal). */
  noApiKey?: boolean;
  /** What to call it with; by default nothing, which every procedure with a required input refuses as BAD_REQUEST. */
  input?: unknown;
};

const PUBLIC: Entry = { access: 'public' };
const SIGNED_IN: Entry = { access: 'signedIn' };
const ADMINS = ['admin', 'owner'] as const;
const OWNER_ONLY = ['owner'] as const;
const scoped = (scope: Scope, roles: readonly Role[] = ADMINS): Entry => ({ access: { scope, roles } });

export const MATRIX: Record<string, Entry> = {
  'setup.status': PUBLIC,
  'setup.options': PUBLIC,
  'setup.createOwner': PUBLIC,

  'auth.signIn': PUBLIC,
  'auth.signOut': PUBLIC,
  'auth.signUp': PUBLIC,
  'auth.invitation': PUBLIC,
  'auth.acceptInvitation': PUBLIC,
  'auth.resetLink': PUBLIC,
  'auth.resetPassword': PUBLIC,
  'auth.me': { access: 'signedIn', allowPending: true, allowMustChange: true },

  'me.get': { access: 'signedIn', allowPending: true, allowMustChange: true },
  'me.changePassword': { access: 'signedIn', allowMustChange: true, noApiKey: true },
  // Keys manage keys never (issue 13); behaviour in api-keys.int.test.ts.
  'me.apiKeys.create': { access: 'signedIn', noApiKey: true },
  'me.apiKeys.list': { access: 'signedIn', noApiKey: true },
  'me.apiKeys.scopes': { access: 'signedIn', noApiKey: true },
  'me.apiKeys.revoke': { access: 'signedIn', noApiKey: true },
  'me.update': SIGNED_IN,
  'me.settings.get': SIGNED_IN,
  'me.settings.update': SIGNED_IN,
  'me.status.get': SIGNED_IN,
  'me.status.update': SIGNED_IN,
  'me.info.get': SIGNED_IN,
  'me.info.update': SIGNED_IN,
  'me.sessions.list': SIGNED_IN,
  'me.sessions.revoke': SIGNED_IN,

  'users.search': SIGNED_IN,

  'me.permissions': SIGNED_IN,
  // Managers of a group (checked in core, groups.int.test.ts); anyone else gets FORBIDDEN from core, after these gates.
  'groups.mine': SIGNED_IN,
  'groups.addMembers': SIGNED_IN,
  'groups.removeMembers': SIGNED_IN,
  'permissions.check': scoped('permissions:check'),

  'files.list': SIGNED_IN,
  'files.get': SIGNED_IN,
  'files.delete': SIGNED_IN,
  'files.usage': SIGNED_IN,
  'notifications.list': SIGNED_IN,
  'notifications.markRead': SIGNED_IN,

  'admin.users.list': scoped('user:list'),
  'admin.users.get': scoped('user:read'),
  'admin.users.create': scoped('user:create'),
  'admin.users.importStatus': scoped('user:create'),
  'admin.users.update': { ...scoped('user:update'), fieldScopes: { role: 'user:changeRole' } },
  'admin.users.resetPassword': scoped('user:resetPassword'),
  'admin.users.passwordResetLink': scoped('user:resetPassword'),
  'admin.users.suspend': scoped('user:suspend'),
  'admin.users.unsuspend': scoped('user:suspend'),
  'admin.users.sessions': scoped('user:sessions'),
  'admin.users.revokeSession': scoped('user:sessions'),
  'admin.users.revokeAllSessions': scoped('user:sessions'),
  'admin.users.transferOwnership': scoped('owner:transfer', OWNER_ONLY),
  'admin.users.invite': scoped('user:invite'),
  'admin.users.invitations': scoped('user:invite'),
  'admin.users.revokeInvitation': scoped('user:invite'),
  'admin.users.resendInvitation': scoped('user:invite'),
  'admin.users.delete': scoped('user:delete'),
  'admin.users.restore': scoped('user:delete'),
  'admin.users.deletionPreview': scoped('user:delete'),
  'admin.users.purgeNow': scoped('user:delete'),
  // Each bulk action also needs its single procedure's scopes (core's BULK_SCOPES, admin-users-bulk.int.test.ts).
  'admin.users.bulkPreview': scoped('user:list'),
  'admin.users.bulk': scoped('user:list'),
  'admin.settings.get': scoped('settings:read'),
  'admin.settings.update': scoped('settings:update'),
  'admin.stats.get': scoped('storage:stats'),
  'admin.notifications.list': scoped('storage:stats'),
  'admin.jobs.list': scoped('jobs:manage'),
  'admin.jobs.run': scoped('jobs:manage'),
  'admin.jobs.get': scoped('jobs:manage'),
  'admin.security.holds.list': scoped('user:read'),
  'admin.security.holds.release': scoped('user:resetPassword'),
  'admin.users.groups': scoped('groups:manage'),
  'admin.users.permissions': scoped('permissions:check'),
  'admin.groups.list': scoped('groups:manage'),
  'admin.groups.get': scoped('groups:manage'),
  'admin.groups.create': scoped('groups:manage'),
  'admin.groups.update': scoped('groups:manage'),
  'admin.groups.delete': scoped('groups:manage'),
  'admin.groups.addMembers': scoped('groups:manage'),
  'admin.groups.removeMembers': scoped('groups:manage'),
  'admin.groups.setManagers': scoped('groups:manage'),
  'admin.permissions.catalogue': scoped('permissions:manage'),
  'admin.permissions.getDefault': scoped('permissions:manage'),
  'admin.permissions.setDefault': scoped('permissions:manage'),
  'admin.audit.list': scoped('audit:read'),
  'admin.audit.verify': scoped('audit:read'),
  'admin.apiKeys.list': { ...scoped('apiKeys:manage'), noApiKey: true },
  'admin.apiKeys.create': { ...scoped('apiKeys:manage'), noApiKey: true },
  'admin.apiKeys.revoke': { ...scoped('apiKeys:manage'), noApiKey: true },
  'admin.serviceAccounts.create': scoped('user:create'),
  'admin.webhooks.create': scoped('webhooks:manage'),
  'admin.webhooks.list': scoped('webhooks:manage'),
  'admin.webhooks.update': scoped('webhooks:manage'),
  'admin.webhooks.delete': scoped('webhooks:manage'),
  'admin.webhooks.deliveries': scoped('webhooks:manage'),
  'admin.webhooks.replay': scoped('webhooks:manage'),
  'admin.webhooks.test': scoped('webhooks:manage'),
};
