import type { SessionStore, StoredSession } from '@roster/auth';
import type { EntityManager } from '@roster/db';

type Row = { id: string; user_id: string; expires_at: Date; user_agent: string | null; ip: string | null };
const toStored = (r: Row): StoredSession => ({
  id: r.id,
  userId: r.user_id,
  expiresAt: new Date(r.expires_at),
  attributes: { userAgent: r.user_agent, ip: r.ip },
});

/**
 * Lucia's storage on PostgreSQL. Plain SQL on the shared connection: sessions
 * are read on every request and need no identity map. Only active users'
 * sessions validate, so suspension or deletion signs a user out everywhere.
 */
export function createSessionStore(em: EntityManager): SessionStore {
  const sql = <T>(q: string, params: unknown[] = []) => em.execute<T[]>(q, params);
  return {
    async getSessionAndUser(id) {
      const rows = await sql<Row>(
        `select s.* from sessions s join users u on u.id = s.user_id
          where s.id = ? and u.status = 'active'`,
        [id],
      );
      const row = rows[0];
      return row ? [toStored(row), { id: row.user_id, attributes: {} }] : [null, null];
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
    async deleteSession(id) {
      await sql(`delete from sessions where id = ?`, [id]);
    },
    async deleteUserSessions(userId) {
      await sql(`delete from sessions where user_id = ?`, [userId]);
    },
    async deleteExpiredSessions() {
      await sql(`delete from sessions where expires_at <= now()`);
    },
  };
}
