/** The users list's filters as flags, shared by `users export` and `users bulk`. */
export const userFilterFlags = {
  query: { type: 'string', short: 'q', value: 'TEXT', description: 'Case-insensitive search in names and emails' },
  role: { type: 'string', multiple: true, value: 'ROLE', choices: ['owner', 'admin', 'user', 'pending'], description: 'Only these roles' },
  status: { type: 'string', multiple: true, value: 'STATUS', choices: ['active', 'suspended', 'deleted'], description: 'Only these statuses (default active and suspended)' },
  group: { type: 'string', multiple: true, value: 'GROUP', description: 'Only members of these groups (name or id)' },
} as const;
