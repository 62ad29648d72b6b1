/** Roles an admin can give (never owner: ownership moves only by transfer). */
export function roleOptions(canGrantAdmin: boolean, current?: string) {
  // Keeping an existing admin an admin is always allowed; making or unmaking one is the owner's call unless the setting allows it.
  const adminLocked = !canGrantAdmin;
  return [
    { value: 'user', label: 'User', disabled: adminLocked && current === 'admin' },
    { value: 'admin', label: adminLocked ? 'Admin (owner only)' : 'Admin', disabled: adminLocked && current !== 'admin' },
    { value: 'pending', label: 'Pending approval', disabled: adminLocked && current === 'admin' },
  ];
}
