import type { User } from '@roster/db';
import { z } from 'zod';
import { isoDateSchema } from '../output.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, CoreDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { findUserOrFail } from './fields.ts';
import { checkMayAct } from './rules.ts';

/**
 * `sessions.id` is the SHA-256 of the client's token; clients see and address
 * a session by a digest of that id, so neither the token nor the stored id
 * leaves the server.
 */
const publicIdSql = (column = 'id') => `left(encode(sha256(convert_to(${column}, 'UTF8')), 'hex'), 32)`;

export const sessionSchema = z.object({
  id: z.string(),
  createdAt: isoDateSchema,
  lastSeenAt: isoDateSchema,
  expiresAt: isoDateSchema,
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
});
export type SessionDto = z.infer<typeof sessionSchema>;

type Row = { public_id: string; created_at: Date; last_seen_at: Date; expires_at: Date; user_agent: string | null; ip: string | null; id: string };

export async function listSessions(deps: CoreDeps, userId: string, currentSessionId?: string): Promise<SessionDto[]> {
  const rows = await deps.em.execute<Row[]>(
    `select id, ${publicIdSql()} as public_id, created_at, last_seen_at, expires_at, user_agent, ip
       from sessions where user_id = ? and expires_at > now() order by last_seen_at desc`,
    [userId],
  );
  return rows.map((r) => ({
    id: r.public_id,
    createdAt: new Date(r.created_at).toISOString(),
    lastSeenAt: new Date(r.last_seen_at).toISOString(),
    expiresAt: new Date(r.expires_at).toISOString(),
    userAgent: r.user_agent,
    ip: r.ip,
    current: r.id === currentSessionId,
  }));
}

/** An admin reads someone's sessions (devices, IPs): the rules decide whose. */
export async function adminListSessions(deps: CoreDeps, actor: Actor, userId: string): Promise<SessionDto[]> {
  const user = await findUserOrFail(deps.em, userId);
  await checkMayAct(deps, actor, user, 'readSessions');
  return listSessions(deps, user.id);
}

/** Ends one session by its public id; `userId` limits it to that user's sessions when given. */
export async function revokeSession(deps: CoreDeps, publicId: string, userId?: string): Promise<{ userId: string }> {
  const rows = await deps.em.execute<{ user_id: string }[]>(
    `delete from sessions where ${publicIdSql()} = ? ${userId ? 'and user_id = ?' : ''} returning user_id`,
    userId ? [publicId, userId] : [publicId],
  );
  if (!rows[0]) throw new AppError('NOT_FOUND', 'Session not found');
  return { userId: rows[0].user_id };
}

/** A user ends one of their own sessions (another device). */
export async function revokeOwnSession(deps: CoreDeps, actor: Actor, publicId: string): Promise<void> {
  await deps.em.transactional(async (em) => {
    await revokeSession({ ...deps, em }, publicId, actor.id);
    recordAudit(em, { actorId: actor.id, action: 'me.sessions.revoke', targetId: actor.id });
  });
}

/** An admin ends one session of someone else, as the rules allow (never the owner's). */
export async function adminRevokeSession(deps: CoreDeps, actor: Actor, publicId: string): Promise<{ userId: string }> {
  const rows = await deps.em.execute<{ user_id: string; role: User['role'] }[]>(
    `select s.user_id, u.role from sessions s join users u on u.id = s.user_id where ${publicIdSql('s.id')} = ?`,
    [publicId],
  );
  const row = rows[0];
  if (!row) throw new AppError('NOT_FOUND', 'Session not found');
  await checkMayAct(deps, actor, { id: row.user_id, role: row.role }, 'revokeSessions');
  const done = await revokeSession(deps, publicId, row.user_id);
  recordAudit(deps.em, { actorId: actor.id, action: 'user.revokeSession', targetId: row.user_id });
  await deps.em.flush();
  return done;
}

export async function revokeAllSessions(deps: CoreDeps, actor: Actor, userId: string): Promise<{ revoked: number }> {
  const user = await findUserOrFail(deps.em, userId);
  await checkMayAct(deps, actor, user, 'revokeSessions');
  const [{ n }] = await deps.em.execute<{ n: number }[]>(`select count(*)::int as n from sessions where user_id = ?`, [userId]);
  await deps.sessions.invalidateUser(userId);
  recordAudit(deps.em, { actorId: actor.id, action: 'user.revokeSessions', targetId: userId });
  await deps.em.flush();
  return { revoked: n };
}
