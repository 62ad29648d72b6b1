import { User } from '@roster/db';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';

export interface HoldDto {
  kind: 'account' | 'ip';
  /** The email as typed at sign-in (it may match no account) or the address. */
  key: string;
  until: string;
  /** The account behind a held email, when there is one. */
  user: { id: string; name: string } | null;
}

/** Accounts and addresses the brute-force limiter holds right now, soonest end first. */
export async function listHolds(deps: CoreDeps): Promise<HoldDto[]> {
  const holds = (await deps.throttle?.holds()) ?? [];
  const emails = holds.filter((h) => h.kind === 'account').map((h) => h.key);
  const users = emails.length ? await deps.em.find(User, { email: { $in: emails } }, { fields: ['id', 'name', 'email'] }) : [];
  const byEmail = new Map(users.map((u) => [u.email, { id: u.id, name: u.name }]));
  return holds.map((h) => ({ kind: h.kind, key: h.key, until: h.until.toISOString(), user: byEmail.get(h.key) ?? null }));
}

/** An admin lets a held account or address try again at once (its counted attempts are forgotten too). */
export async function releaseHold(deps: CoreDeps, actor: Actor, input: { kind: 'account' | 'ip'; key: string }): Promise<{ released: true }> {
  const key = input.kind === 'account' ? input.key.trim().toLowerCase() : input.key.trim();
  if (!deps.throttle || !(await deps.throttle.release(input.kind, key)))
    throw new AppError('NOT_FOUND', input.kind === 'account' ? 'That account is not held' : 'That address is not held');
  const user = input.kind === 'account' ? await deps.em.findOne(User, { email: key }, { fields: ['id'] }) : null;
  recordAudit(deps.em, { actorId: actor.id, action: 'security.releaseHold', targetId: user?.id ?? null, details: { kind: input.kind, key } });
  await deps.em.flush();
  return { released: true };
}
