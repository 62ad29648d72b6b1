import { User } from '@roster/db';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { getSettings } from '../settings/instance-settings.ts';
import { toPublicUser, type PublicUserDto } from '../users/dto.ts';
import { checkMayAct } from '../users/rules.ts';
import { previewCounts } from './purge-claim.ts';
import { purgePlan } from './purge-plan.ts';

export interface DeletionPreviewDto {
  id: string;
  status: User['status'];
  /** When the purge is (or, for a user not yet deleted, would be) due with the current delay setting. */
  purgeAt: string;
  purgeStartedAt: string | null;
  /** The instance's grace period, for the dialog's "purged in N days". */
  delayDays: number;
  transferTo: PublicUserDto | null;
  /** What a purge would remove (or move), summed over the steps: e.g. files, bytes, sessions, invitations, resetTokens. */
  counts: Record<string, number>;
}

const DAY_MS = 86_400_000;

/** The delete dialog's preview, and the CLI's `deletion-preview`. Reads only, for whoever may delete the user (it counts their files and sessions). */
export async function deletionPreview(deps: CoreDeps, actor: Actor, id: string): Promise<DeletionPreviewDto> {
  const user = await deps.em.findOne(User, id);
  if (!user) throw new AppError('USER_NOT_FOUND');
  await checkMayAct(deps, actor, user, 'delete');
  const { userDeleteDelayDays } = await getSettings(deps);
  const now = deps.clock.now();
  const purgeAt = user.status === 'deleted' ? new Date(user.purgeAt!) : new Date(now.getTime() + userDeleteDelayDays * DAY_MS);
  const target = user.transferToUserId ? await deps.em.findOne(User, user.transferToUserId) : null;
  return {
    id: user.id,
    status: user.status,
    purgeAt: purgeAt.toISOString(),
    purgeStartedAt: user.purgeStartedAt ? new Date(user.purgeStartedAt).toISOString() : null,
    delayDays: userDeleteDelayDays,
    transferTo: target ? toPublicUser(target) : null,
    counts: await previewCounts(deps, user.id, purgePlan),
  };
}
