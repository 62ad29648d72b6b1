import type { SessionStore, StoredSession } from '@roster/auth';
import { User, type EntityManager, type PreparedQuery } from '@roster/db';
import { instanceSettingsSchema } from '../settings/instance-settings.ts';
import { ADMIN_USER_FIELDS, type SessionAccount } from '../users/dto.ts';

/**
 * The caller's account (the actor's fields and what `auth.me` answers), read
 * in the same statement that validates the session, and the permission epoch
 * (migration 0022) the request's cached permissions are valid for.
 */
export type SessionUserAttributes = Omit<SessionAccount, 'id'> & { permissionEpoch: number };

type Row = { id: string; user_id: string; expires_at: Date; user_agent: string | null; ip: string | null };
type Validation = Row & { rotate: boolean; seen_stale: boolean; timed_out: boolean; account: SessionAccount; permission_epoch: number };
const toStored = (r: Row & { rotate?: boolean; seen_stale?: boolean }): StoredSession => ({
  id: r.id,
  userId: r.user_id,
  expiresAt: new Date(r.expires_at),
  attributes: { userAgent: r.user_agent, ip: r.ip, rotate: !!r.rotate, seenStale: !!r.seen_stale },
});

const defaults = instanceSettingsSchema.parse({});
/** A numeric instance setting read inside SQL (a stored value of another type falls back to the default, as in getSettings). */
const settingSql = (key: 'sessionIdleTimeoutMinutes' | 'sessionMaxAgeDays') =>
  `coalesce((select (value #>> '{}')::float8 from settings where key = '${key}' and jsonb_typeof(value) = 'number'), ${Number(defaults[key])})`;
/** True for sessions past the idle or absolute timeout of the instance settings (alias `s` is the session). */
const timedOutSql = `(s.last_seen_at < now() - interval '1 minute' * ${settingSql('sessionIdleTimeoutMinutes')}
  or s.created_at < now() - interval '1 day' * ${settingSql('sessionMaxAgeDays')})`;
const STALE = `interval '1 minute'`;

/** The account (alias `u`) as one JSON object keyed by field name: read in the validating statement, with no column-name mapping per request. */
export function accountJsonSql(em: EntityManager): string {
  const props = em.getMetadata(User).properties;
  return `json_build_object(${ADMIN_USER_FIELDS.map((f) => `'${f}', u.${props[f].fieldNames[0]}`).join(', ')})`;
}

/**
 * Lucia's storage on PostgreSQL. Plain SQL on the shared connection: sessions
 * are read on every request and need no identity map. Validation is one
 * statement: the session, its timeouts and the actor's fields. Only active
 * users' sessions validate, so suspension or deletion signs a user out
 * everywhere.
 */
export function createSessionStore(em: EntityManager, prepared: PreparedQuery): SessionStore<SessionUserAttributes> {
  const sql = <T>(q: string, params: unknown[] = []) => em.execute<T[]>(q, params);
  const account = accountJsonSql(em);
  // Prepared: every request runs it, and planning it cost more than running it. One JSON column: node-postgres
  // sets up a parser per column of every result, which for ten columns cost more than parsing the JSON (bench/peers).
  const validation = `select json_build_object('id', s.id, 'user_id', s.user_id, 'expires_at', s.expires_at, 'user_agent', s.user_agent,
        'ip', s.ip, 'rotate', s.rotate,
        'seen_stale', (s.last_seen_at < now() - ${STALE} or u.last_active_at is null or u.last_active_at < now() - ${STALE}),
        'timed_out', ${timedOutSql}, 'account', ${account}, 'permission_epoch', (select n from permission_epoch where id = 1)) as v
   from sessions s join users u on u.id = s.user_id
  where s.id = $1 and u.status = 'active'`;
  return {
    async getSessionAndUser(id) {
      const rows = await prepared<{ v: Validation }>('roster_session_validation', validation, [id]);
      const row = rows[0]?.v;
      if (!row) return [null, null];
      const session = toStored(row);
      // An idle or too old session is handed to Lucia as expired, which deletes it.
      if (row.timed_out) session.expiresAt = new Date(0);
      const { id: userId, ...attributes } = row.account;
      return [session, { id: userId, attributes: { ...attributes, permissionEpoch: row.permission_epoch } }];
    },
    async getUserSessions(userId) {
      return (await sql<Row>(`select * from sessions where user_id = ?`, [userId])).map(toStored);
    },
    async setSession(s) {
      await sql(`insert into sessions (id, user_id, expires_at, user_agent, ip) values (?, ?, ?, ?, ?)`, [
        s.id,
        s.userId,
        s.expiresAt,
        s.attributes.userAgent ?? null,
        s.attributes.ip ?? null,
      ]);
    },
    async updateSessionExpiration(id, expiresAt) {
      await sql(`update sessions set expires_at = ? where id = ?`, [expiresAt, id]);
    },
    async rotateSession(id, newId) {
      const rows = await sql<{ user_id: string; expires_at: Date }>(
        `update sessions set id = ?, rotate = false where id = ? returning user_id, expires_at`,
        [newId, id],
      );
      return rows[0] ? { userId: rows[0].user_id, expiresAt: new Date(rows[0].expires_at) } : null;
    },
    async deleteSession(id) {
      await sql(`delete from sessions where id = ?`, [id]);
    },
    async deleteUserSessions(userId) {
      await sql(`delete from sessions where user_id = ?`, [userId]);
    },
    async deleteExpiredSessions() {
      await deleteExpiredSessions(em);
    },
  };
}

/** Removes sessions past their expiry or the instance's idle / absolute timeouts; returns how many. */
export async function deleteExpiredSessions(em: EntityManager): Promise<number> {
  const rows = await em.execute<{ id: string }[]>(`delete from sessions s where s.expires_at <= now() or ${timedOutSql} returning s.id`);
  return rows.length;
}

/** Writes last-seen times; the caller calls it only when validation said they are stale, so most requests write nothing. */
export async function touchSession(em: EntityManager, userId: string, sessionId: string): Promise<void> {
  await em.execute(
    `with s as (update sessions set last_seen_at = now() where id = ? and last_seen_at < now() - ${STALE})
     update users set last_active_at = now() where id = ? and (last_active_at is null or last_active_at < now() - ${STALE})`,
    [sessionId, userId],
  );
}

/**
 * A role or ownership change: the user's sessions get a new token at their
 * next cookie request (sessions.rotate in the API context), so nobody is
 * signed out but no token from before the change outlives it in a browser.
 */
export async function markSessionsForRotation(em: EntityManager, userId: string): Promise<void> {
  await em.execute(`update sessions set rotate = true where user_id = ?`, [userId]);
}
