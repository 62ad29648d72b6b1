import { User } from '@roster/db';
import { fieldDiff, snapshot } from '../audit/field-diff.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { requirePermission } from '../permissions/effective.ts';
import { toAdminUser, type AdminUserDto } from '../users/dto.ts';

export interface UpdateProfileInput {
  name?: string;
  avatarUrl?: string | null;
}

const AUDITED = ['name', 'avatarUrl'] as const;

/** What a user may change about themselves; email, role and quota stay with admins. */
export async function updateProfile(deps: CoreDeps, actor: Actor, input: UpdateProfileInput): Promise<AdminUserDto> {
  const user = await deps.em.findOneOrFail(User, actor.id);
  const before = snapshot(user, AUDITED);
  // Only a real change needs the key: a form that sends both fields back unchanged stays usable.
  if (input.name !== undefined && input.name !== user.name) await requirePermission(deps, actor, 'profile.editName');
  if (input.avatarUrl !== undefined && input.avatarUrl !== (user.avatarUrl ?? null)) await requirePermission(deps, actor, 'profile.editAvatar');
  if (input.name !== undefined) user.name = input.name;
  if (input.avatarUrl !== undefined) user.avatarUrl = input.avatarUrl;
  const diff = fieldDiff(before, snapshot(user, AUDITED), AUDITED) ?? { before: {}, after: {} };
  recordAudit(deps.em, { actorId: actor.id, action: 'me.update', targetId: actor.id, details: { ...diff } });
  await deps.em.flush();
  return toAdminUser(user, deps.clock.now());
}
