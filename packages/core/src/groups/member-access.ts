import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { hasScope } from '../permissions/scopes.ts';
import { LIVE } from './dto.ts';

/**
 * Who may add and remove members of a group: admins (groups:manage), and
 * the group's own live managers, for that group only. Anyone else gets
 * FORBIDDEN, also for a group that does not exist (a non-admin learns
 * nothing about other groups).
 */
export async function assertMayManageMembers(deps: Pick<CoreDeps, 'em'>, actor: Actor, groupId: string): Promise<'admin' | 'manager'> {
  if (hasScope(actor, 'groups:manage')) return 'admin';
  const [row] = await deps.em.execute<{ ok: boolean }[]>(
    `select true as ok from group_members m where m.group_id = ? and m.user_id = ? and m.manager and ${LIVE}`,
    [groupId, actor.id],
  );
  if (!row) throw new AppError('FORBIDDEN', 'Only admins and the managers of this group may change its members');
  return 'manager';
}
