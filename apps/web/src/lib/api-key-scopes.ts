/** What each API key scope lets a service do, for the create form; an unknown scope shows its name. */
export const SCOPE_LABELS: Record<string, string> = {
  me: 'Your own profile, settings, files and groups',
  'user:list': 'List users',
  'user:read': 'Read any user',
  'user:create': 'Create users',
  'user:update': 'Edit users',
  'user:changeRole': 'Change roles',
  'user:resetPassword': 'Reset passwords',
  'user:suspend': 'Suspend users',
  'user:delete': 'Delete users',
  'user:sessions': "Read and end users' sessions",
  'user:invite': 'Invite users',
  'settings:read': 'Read instance settings',
  'settings:update': 'Change instance settings',
  'storage:stats': 'Storage statistics',
  'files:manage': "Any user's files",
  'jobs:manage': 'Background jobs',
  'groups:manage': 'Groups and memberships',
  'permissions:manage': 'The default permission template',
  'permissions:check': "Check any user's permissions",
  'owner:transfer': 'Transfer ownership',
};

/** Expiry choices of the create form, in days ('' = never). */
export const KEY_EXPIRY = [
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
  { value: '', label: 'Never' },
];
