import { generateIdFromEntropySize, Lucia, TimeSpan, type Adapter } from 'lucia';
import { hashToken } from './tokens.ts';

/**
 * What Lucia stores; the shape mirrors its adapter so core can implement it
 * without importing lucia. `id` is the SHA-256 (hex) of the token the client
 * holds, never the token itself.
 */
export interface StoredSession {
  id: string;
  userId: string;
  expiresAt: Date;
  attributes: SessionMeta & SessionFlags;
}
export interface SessionMeta {
  userAgent?: string | null;
  ip?: string | null;
}
/** Read with the session by the store, so the request needs no second query. */
export interface SessionFlags {
  /** The user's role or ownership changed: the next cookie request gets a new token. */
  rotate?: boolean;
  /** Last-seen times are old enough to be written again. */
  seenStale?: boolean;
}
export interface SessionStore<A extends object = object> {
  getSessionAndUser(id: string): Promise<[StoredSession | null, { id: string; attributes: A } | null]>;
  getUserSessions(userId: string): Promise<StoredSession[]>;
  setSession(session: StoredSession): Promise<void>;
  updateSessionExpiration(id: string, expiresAt: Date): Promise<void>;
  /** Gives a session a new id, keeping its user, age and metadata; null when `id` is gone. */
  rotateSession(id: string, newId: string): Promise<{ userId: string; expiresAt: Date } | null>;
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
  /** The stored id (the token's hash): safe to pass around the server, useless as a credential. */
  id: string;
  userId: string;
  expiresAt: Date;
  /** True when the expiry was just extended: send the cookie again. */
  fresh: boolean;
  rotate: boolean;
  seenStale: boolean;
}

/** A session and the secret its holder presents (cookie value or Bearer token). */
export interface IssuedSession {
  token: string;
  session: ValidSession;
}

export const SESSION_COOKIE = 'roster_session';
/** Over https the cookie is `__Host-`: Secure, path /, no Domain, so no sibling host or plain-http answer can plant one. */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
export const SESSION_TTL_DAYS = 30;

export const sessionCookieName = (secure: boolean) => (secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE);

export interface Sessions<A extends object = object> {
  create(userId: string, meta: SessionMeta): Promise<IssuedSession>;
  /** Checks a token; the user's attributes come from the same store read. */
  validate(token: string): Promise<{ session: ValidSession; user: A & { id: string } } | null>;
  /** A new token for a live session (same user, age and metadata); null when the session is gone. */
  rotate(sessionId: string): Promise<IssuedSession | null>;
  invalidate(sessionId: string): Promise<void>;
  invalidateUser(userId: string): Promise<void>;
  deleteExpired(): Promise<void>;
  cookieName(secure: boolean): string;
  cookie(token: string, secure: boolean): SessionCookie;
  blankCookie(secure: boolean): SessionCookie;
  readBearer(header: string | null): string | null;
}

/** Session tokens: 200 random bits, lower-case base32 (Lucia's own format). */
export const newSessionToken = () => generateIdFromEntropySize(25);
export const sessionIdOf = (token: string) => hashToken(token);

/**
 * Lucia v3 sessions: 30-day expiry, renewed when half of it has passed.
 * Lucia keys its sessions by the hash of the token (its v3 migration
 * guidance), so the database never holds a usable credential.
 */
export function createSessions<A extends object>(store: SessionStore<A>): Sessions<A> {
  const lucia = new Lucia(store as unknown as Adapter, {
    sessionExpiresIn: new TimeSpan(SESSION_TTL_DAYS, 'd'),
    sessionCookie: { name: SESSION_COOKIE, expires: true, attributes: { sameSite: 'lax', path: '/' } },
    getSessionAttributes: (a) => a as SessionFlags,
    getUserAttributes: (a) => a as object,
  });
  const toCookie = (c: { value: string; attributes: object }, secure: boolean): SessionCookie => ({
    name: sessionCookieName(secure),
    value: c.value,
    attributes: { ...(c.attributes as SessionCookie['attributes']), httpOnly: true, sameSite: 'lax', path: '/', secure },
  });
  const plain = (s: { id: string; userId: string; expiresAt: Date; fresh: boolean } & SessionFlags): ValidSession => ({
    id: s.id,
    userId: s.userId,
    expiresAt: s.expiresAt,
    fresh: s.fresh,
    rotate: !!s.rotate,
    seenStale: !!s.seenStale,
  });
  return {
    async create(userId, meta) {
      const token = newSessionToken();
      const session = await lucia.createSession(userId, meta as never, { sessionId: await sessionIdOf(token) });
      return { token, session: plain(session as never) };
    },
    async validate(token) {
      const { session, user } = await lucia.validateSession(await sessionIdOf(token));
      return session && user ? { session: plain(session as never), user: user as unknown as A & { id: string } } : null;
    },
    async rotate(sessionId) {
      const token = newSessionToken();
      const id = await sessionIdOf(token);
      const rotated = await store.rotateSession(sessionId, id);
      if (!rotated) return null;
      return { token, session: { id, ...rotated, fresh: true, rotate: false, seenStale: false } };
    },
    invalidate: (sessionId) => lucia.invalidateSession(sessionId),
    invalidateUser: (userId) => lucia.invalidateUserSessions(userId),
    deleteExpired: () => lucia.deleteExpiredSessions(),
    cookieName: sessionCookieName,
    cookie: (token, secure) => toCookie(lucia.createSessionCookie(token), secure),
    blankCookie: (secure) => toCookie(lucia.createBlankSessionCookie(), secure),
    readBearer: (header) => (header ? lucia.readBearerToken(header) : null),
  };
}
