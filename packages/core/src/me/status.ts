import { User } from '@roster/db';
import { fieldDiff, snapshot } from '../audit/field-diff.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';

export interface StatusDto {
  emoji: string | null;
  message: string | null;
  expiresAt: string | null;
}

export interface StatusInput {
  emoji?: string | null;
  message?: string | null;
  expiresAt?: Date | null;
}

const EMPTY: StatusDto = { emoji: null, message: null, expiresAt: null };

/** An expired status reads as no status; nothing needs to sweep it away. */
export async function getMyStatus(deps: CoreDeps, actor: Actor): Promise<StatusDto> {
  const user = await deps.em.findOneOrFail(User, actor.id, { fields: ['statusEmoji', 'statusMessage', 'statusExpiresAt'] });
  return toStatus(user, deps.clock.now());
}

/**
 * Sets the whole status at once (omitted parts are cleared), as a status is
 * one thing: a new message must not inherit the old one's emoji or expiry.
 */
export async function updateMyStatus(deps: CoreDeps, actor: Actor, input: StatusInput): Promise<StatusDto> {
  const now = deps.clock.now();
  if (input.expiresAt && input.expiresAt <= now)
    throw new AppError('VALIDATION', 'The expiry must be in the future', { expiresAt: ['Must be in the future'] });
  const user = await deps.em.findOneOrFail(User, actor.id);
  const keys = ['statusEmoji', 'statusMessage', 'statusExpiresAt'] as const;
  const before = snapshot(user, keys);
  user.statusEmoji = input.emoji || null;
  user.statusMessage = input.message || null;
  user.statusExpiresAt = user.statusEmoji || user.statusMessage ? (input.expiresAt ?? null) : null;
  const diff = fieldDiff(before, snapshot(user, keys), keys) ?? { before: {}, after: {} };
  recordAudit(deps.em, { actorId: actor.id, action: 'me.status.update', targetId: actor.id, details: { ...diff } });
  await deps.em.flush();
  return toStatus(user, now);
}

function toStatus(u: Pick<User, 'statusEmoji' | 'statusMessage' | 'statusExpiresAt'>, now: Date): StatusDto {
  if (u.statusExpiresAt && new Date(u.statusExpiresAt) <= now) return EMPTY;
  if (!u.statusEmoji && !u.statusMessage) return EMPTY;
  return {
    emoji: u.statusEmoji ?? null,
    message: u.statusMessage ?? null,
    expiresAt: u.statusExpiresAt ? new Date(u.statusExpiresAt).toISOString() : null,
  };
}
