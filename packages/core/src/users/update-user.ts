import { fieldDiff, snapshot } from '../audit/field-diff.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { markSessionsForRotation } from '../auth/session-store.ts';
import { isUniqueViolation } from '../errors.ts';
import { toAdminUser, type AdminUserDto } from './dto.ts';
import {
  assertEmailFree,
  assertStorageLabelFree,
  findUserOrFail,
  gibToBytes,
  mapUniqueViolation,
  normaliseStorageLabel,
} from './fields.ts';
import { checkMayAct, checkMayGrantRole } from './rules.ts';

export interface UpdateUserInput {
  id: string;
  name?: string;
  email?: string;
  role?: 'admin' | 'user' | 'pending';
  avatarUrl?: string | null;
  quotaGiB?: number | null;
  storageLabel?: string | null;
  mustChangePassword?: boolean;
}

/** Fires after a committed label change (the storage area moves the user's files). */
export type StorageLabelChanged = (deps: CoreDeps, userId: string) => Promise<void>;
const labelListeners: StorageLabelChanged[] = [];
export function onStorageLabelChanged(fn: StorageLabelChanged): void {
  labelListeners.push(fn);
}

/** The fields an update's audit row shows before and after. */
const AUDITED = ['name', 'email', 'role', 'avatarUrl', 'quotaBytes', 'storageLabel', 'mustChangePassword'] as const;

export async function updateUser(deps: CoreDeps, actor: Actor, input: UpdateUserInput): Promise<AdminUserDto> {
  const user = await findUserOrFail(deps.em, input.id);
  const before = snapshot(user, AUDITED);
  // The settings are read only where the rules need them (checkMayAct), not on every update.
  await checkMayAct(deps, actor, user, 'update');
  let roleChanged = false;
  if (input.role !== undefined && input.role !== user.role) {
    await checkMayAct(deps, actor, user, 'changeRole');
    await checkMayGrantRole(deps, actor, user.role, input.role);
    roleChanged = true;
    user.role = input.role;
  }
  if (input.email !== undefined && input.email.toLowerCase() !== user.email) {
    await checkMayAct(deps, actor, user, 'changeCredentials');
    await assertEmailFree(deps.em, input.email, user.id);
    user.email = input.email.toLowerCase();
  }
  let labelChanged = false;
  if (input.storageLabel !== undefined) {
    const label = normaliseStorageLabel(input.storageLabel);
    if (label !== user.storageLabel) {
      await assertStorageLabelFree(deps.em, label, user.id);
      user.storageLabel = label;
      labelChanged = true;
    }
  }
  if (input.name !== undefined) user.name = input.name;
  if (input.avatarUrl !== undefined) user.avatarUrl = input.avatarUrl;
  if (input.quotaGiB !== undefined) {
    user.quotaBytes = gibToBytes(input.quotaGiB);
  }
  if (input.mustChangePassword !== undefined && input.mustChangePassword !== user.mustChangePassword) {
    // Forcing a password change is a credentials decision: the owner's is theirs alone.
    await checkMayAct(deps, actor, user, 'changeCredentials');
    user.mustChangePassword = input.mustChangePassword;
  }
  const diff = fieldDiff(before, snapshot(user, AUDITED), AUDITED) ?? { before: {}, after: {} };
  recordAudit(deps.em, { actorId: actor.id, action: 'user.update', targetId: user.id, details: { ...diff } });
  try {
    await deps.em.transactional(async (em) => {
      await em.flush();
      // A new role: the user's sessions get new tokens at their next request (session fixation).
      if (roleChanged) await markSessionsForRotation(em, user.id);
    });
  } catch (err) {
    if (isUniqueViolation(err)) mapUniqueViolation(err);
    throw err;
  }
  if (labelChanged) for (const fn of labelListeners) await fn(deps, user.id);
  return toAdminUser(user, deps.clock.now());
}
