import type { User } from '@roster/db';
import { deleteUser } from '../../deletion/delete-user.ts';
import { restoreUser } from '../../deletion/restore-user.ts';
import type { Actor, CoreDeps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { hasScope, type Scope } from '../../permissions/scopes.ts';
import { assertMayAct, assertMayGrantRole, type AdminPolicy, type UserAction } from '../rules.ts';
import { suspendUser, unsuspendUser } from '../suspend-user.ts';
import { updateUser } from '../update-user.ts';
import { revokeAllSessions } from '../user-sessions.ts';

export const BULK_ACTIONS = ['approve', 'suspend', 'unsuspend', 'setRole', 'setQuota', 'delete', 'restore', 'revokeSessions'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** Each action's arguments (validated by the router; the worker parses them again from the job payload). */
export interface BulkArgs {
  reason?: string;
  until?: Date | null;
  role?: 'admin' | 'user' | 'pending';
  quotaGiB?: number | null;
  immediate?: boolean;
}

/** What a bulk action needs, as the single procedure that does it one user at a time. */
export const BULK_SCOPES: Record<BulkAction, Scope[]> = {
  approve: ['user:update', 'user:changeRole'],
  suspend: ['user:suspend'],
  unsuspend: ['user:suspend'],
  setRole: ['user:update', 'user:changeRole'],
  setQuota: ['user:update'],
  delete: ['user:delete'],
  restore: ['user:delete'],
  revokeSessions: ['user:sessions'],
};

/** The rule (rules.ts) each bulk action is held to. */
const RULE: Record<BulkAction, UserAction> = {
  approve: 'changeRole',
  suspend: 'suspend',
  unsuspend: 'suspend',
  setRole: 'changeRole',
  setQuota: 'update',
  delete: 'delete',
  restore: 'delete',
  revokeSessions: 'revokeSessions',
};

export function assertBulkScopes(actor: Actor, action: BulkAction): void {
  if (!BULK_SCOPES[action].every((s) => hasScope(actor, s))) throw new AppError('FORBIDDEN');
}

export type BulkTarget = Pick<User, 'id' | 'role' | 'status'> & { purgeStartedAt?: Date | string | null };

/**
 * Why the single action would refuse this user, or null: the rules of
 * rules.ts, then the state each use case requires (the same errors it
 * throws). Pure, so a preview of 100,000 users costs no query per user.
 */
export function bulkRefusal(actor: Actor, target: BulkTarget, action: BulkAction, args: BulkArgs, policy: AdminPolicy): AppError | null {
  try {
    assertMayAct(actor, target, RULE[action], policy);
    if (action === 'approve' || action === 'setRole') assertMayAct(actor, target, 'update', policy);
    switch (action) {
      case 'approve':
        // Approving never demotes anyone: only a pending account changes.
        if (target.role !== 'pending') throw new AppError('NOT_PENDING');
        assertMayGrantRole(actor, target.role, 'user', policy);
        break;
      case 'setRole':
        assertMayGrantRole(actor, target.role, args.role ?? 'user', policy);
        break;
      case 'suspend':
        if (target.status === 'deleted') throw new AppError('USER_NOT_FOUND', 'This user is deleted');
        break;
      case 'unsuspend':
        if (target.status !== 'suspended') throw new AppError('NOT_SUSPENDED');
        break;
      case 'delete':
        if (target.status === 'deleted') throw new AppError('USER_ALREADY_DELETED');
        break;
      case 'restore':
        if (target.status !== 'deleted') throw new AppError('USER_NOT_DELETED');
        if (target.purgeStartedAt) throw new AppError('PURGE_IN_PROGRESS');
        break;
    }
    return null;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}

/** One user, through the single action's use case: its checks, its transaction and its audit event. */
export async function applyBulkAction(deps: CoreDeps, actor: Actor, id: string, action: BulkAction, args: BulkArgs): Promise<void> {
  switch (action) {
    case 'approve':
      await updateUser(deps, actor, { id, role: 'user' });
      return;
    case 'setRole':
      await updateUser(deps, actor, { id, role: args.role ?? 'user' });
      return;
    case 'setQuota':
      await updateUser(deps, actor, { id, quotaGiB: args.quotaGiB ?? null });
      return;
    case 'suspend':
      await suspendUser(deps, actor, { id, reason: args.reason ?? 'Suspended in bulk', until: args.until ?? null });
      return;
    case 'unsuspend':
      await unsuspendUser(deps, actor, id);
      return;
    case 'delete':
      await deleteUser(deps, actor, { id, immediate: !!args.immediate });
      return;
    case 'restore':
      await restoreUser(deps, actor, id);
      return;
    case 'revokeSessions':
      await revokeAllSessions(deps, actor, id);
      return;
  }
}
