import { Lucia, TimeSpan, type Adapter } from 'lucia';

/** What Lucia stores; the shape mirrors its adapter so core can implement it without importing lucia. */
export interface StoredSession {
  id: string;
  userId: string;
  expiresAt: Date;
  attributes: SessionMeta;
}
export interface SessionMeta {
  userAgent?: string | null;
  ip?: string | null;
}
export interface SessionStore {
  getSessionAndUser(id: string): Promise<[StoredSession | null, { id: string; attributes: object } | null]>;
  getUserSessions(userId: string): Promise<StoredSession[]>;
  setSession(session: StoredSession): Promise<void>;
  updateSessionExpiration(id: string, expiresAt: Date): Promise<void>;
  deleteSession(id: string): Promise<void>;
  deleteUserSessions(userId: string): Promise<void>;
  deleteExpiredSessions(): Promise<void>;
}

export interface SessionCookie {
  name: string;
  value: string;
  attributes: {
    httpOnly: boolean;
    sameSite: 'lax';
    path: string;
    secure: boolean;
    maxAge?: number;
    expires?: Date;
  };
}

export interface ValidSession {
  id: string;
  userId: string;
  expiresAt: Date;
  /** True when the expiry was just extended: send the cookie again. */
  fresh: boolean;
}

export const SESSION_COOKIE = 'roster_session';
export const SESSION_TTL_DAYS = 30;

export interface Sessions {
  create(userId: string, meta: SessionMeta): Promise<ValidSession>;
  validate(id: string): Promise<ValidSession | null>;
  invalidate(id: string): Promise<void>;
  invalidateUser(userId: string): Promise<void>;
  deleteExpired(): Promise<void>;
  cookie(id: string, secure: boolean): SessionCookie;
  blankCookie(secure: boolean): SessionCookie;
  readBearer(header: string | null): string | null;
}

/** Lucia v3 sessions: 30-day expiry, renewed when half of it has passed. */
export function createSessions(store: SessionStore): Sessions {
  const lucia = new Lucia(store as unknown as Adapter, {
    sessionExpiresIn: new TimeSpan(SESSION_TTL_DAYS, 'd'),
    sessionCookie: { name: SESSION_COOKIE, expires: true, attributes: { sameSite: 'lax', path: '/' } },
    getSessionAttributes: () => ({}),
  });
  const toCookie = (c: { name: string; value: string; attributes: object }, secure: boolean): SessionCookie => ({
    name: c.name,
    value: c.value,
    attributes: { ...(c.attributes as SessionCookie['attributes']), httpOnly: true, sameSite: 'lax', path: '/', secure },
  });
  const plain = (s: { id: string; userId: string; expiresAt: Date; fresh: boolean }): ValidSession => ({
    id: s.id,
    userId: s.userId,
    expiresAt: s.expiresAt,
    fresh: s.fresh,
  });
  return {
    async create(userId, meta) {
      return plain(await lucia.createSession(userId, meta as never));
    },
    async validate(id) {
      const { session } = await lucia.validateSession(id);
      return session ? plain(session) : null;
    },
    invalidate: (id) => lucia.invalidateSession(id),
    invalidateUser: (userId) => lucia.invalidateUserSessions(userId),
    deleteExpired: () => lucia.deleteExpiredSessions(),
    cookie: (id, secure) => toCookie(lucia.createSessionCookie(id), secure),
    blankCookie: (secure) => toCookie(lucia.createBlankSessionCookie(), secure),
    readBearer: (header) => (header ? lucia.readBearerToken(header) : null),
  };
}
