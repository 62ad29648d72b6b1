import { hashToken, type SessionCookie, type Sessions, type ValidSession } from '@roster/auth';
import {
  countApiKeyRequest,
  isApiKeySecret,
  recordApiKeyUse,
  touchSession,
  withAuditScope,
  type Actor,
  type CoreDeps,
  type SessionAccount,
  type EpochPermissionValues,
  type SessionUserAttributes,
} from '@roster/core';
import type { EntityManager } from '@roster/db';
import type { Services } from './services.ts';

/** How the transport reads and writes cookies (SvelteKit's, or a test jar). */
export interface CookieJar {
  get(name: string): string | undefined;
  set(cookie: SessionCookie): void;
}

/** The request headers the context reads (a fetch Headers object qualifies). */
export interface HeaderReader {
  get(name: string): string | null;
}

export interface RequestInfo {
  headers: HeaderReader;
  ip: string | null;
  /** The instance is reached over https (ROSTER_PUBLIC_URL, else the request): Secure, `__Host-` cookies. */
  secure: boolean;
  cookies: CookieJar;
}

export interface Context {
  services: Services;
  /** The request carries one call (not a batch, not a page's several): the call uses `deps.em` itself (procedures.ts). */
  loneCall: boolean;
  /** `deps.em` is the request's EntityManager, forked on first use (lazyEm); each call of a batch gets its own fork of it (procedures.ts), so calls never flush each other's changes. */
  deps: CoreDeps;
  req: RequestInfo;
  session: ValidSession | null;
  actor: Actor | null;
  /** The actor's account as read with the session (what `auth.me` answers). */
  account: SessionAccount | null;
  /** The caller presented a live API key (`Bearer rst_…`); `session` is then null. */
  apiKey: ApiKeyCaller | null;
  /** The caller presented an API key that is unknown, revoked, expired or its user's inactive: every procedure answers 401. */
  apiKeyInvalid: boolean;
}

/** A key caller: the key and the scopes it may use in this request (its own, intersected with its user's now). */
export interface ApiKeyCaller {
  id: string;
  scopes: readonly string[];
  /** Past the key's rate limit: the wait in ms (the gate refuses with RATE_LIMITED); 0 otherwise. */
  retryAfterMs: number;
}

/** The caller's address and user agent, as audit rows store them. */
export const clientOf = (req: RequestInfo) => ({ ip: req.ip, userAgent: req.headers.get('user-agent')?.slice(0, 400) ?? null });

/** `em` is an EntityManager, or what forks the request's on first use (lazyEm). */
export const depsFor = (
  services: Services,
  em: EntityManager | (() => EntityManager),
  req: RequestInfo,
  permissionValues?: EpochPermissionValues,
  apiKey?: ApiKeyCaller | null,
): CoreDeps => ({
  get em() {
    return typeof em === 'function' ? em() : em;
  },
  clock: services.clock,
  sessions: services.sessions,
  jobs: services.jobs,
  dataDir: services.dataDir,
  permissions: services.permissions,
  prepared: services.prepared,
  setupTokenRequired: services.setupTokenRequired,
  throttle: services.throttle,
  client: clientOf(req),
  permissionValues,
  apiKey: apiKey ?? undefined,
});

/** Runs `fn` with the context's caller, address and user agent as the origin of every audit row written in it (core/audit/audit-scope.ts). */
export function withRequestAuditScope<T>(ctx: Pick<Context, 'actor' | 'deps'>, fn: () => T): T {
  const client = ctx.deps.client;
  return withAuditScope({ actorId: ctx.actor?.id ?? null, ip: client?.ip ?? null, userAgent: client?.userAgent ?? null }, fn);
}

/**
 * Resolves the caller from the session cookie or a Bearer token in one
 * query (session, timeouts and the actor's fields); renews or rotates the
 * cookie as the session asks, and writes last-seen times only when stale.
 */
export async function createContext(services: Services, req: RequestInfo, opts: { loneCall?: boolean } = {}): Promise<Context> {
  const em = lazyEm(services);
  const { session, account, permissionEpoch, apiKey = null, apiKeyInvalid = false } = await resolveCaller(services, em, req);
  const actor: Actor | null = account && {
    id: account.id,
    email: account.email,
    name: account.name,
    role: account.role,
    status: account.status,
    mustChangePassword: account.mustChangePassword,
    ...(apiKey ? { keyScopes: apiKey.scopes } : {}),
  };
  const permissionValues = permissionEpoch === undefined ? undefined : services.permissionCache.at(permissionEpoch);
  return { services, loneCall: opts.loneCall ?? false, deps: depsFor(services, em, req, permissionValues, apiKey), req, session, actor, account, apiKey, apiKeyInvalid };
}

/**
 * The request's EntityManager, forked when first asked for: most requests
 * (a session check, a cached permission) never touch it, and a fork cost
 * more than the rest of their JavaScript but the tRPC calls (bench/peers).
 */
function lazyEm(services: Services): () => EntityManager {
  let em: EntityManager | undefined;
  return () => (em ??= services.orm.em.fork() as EntityManager);
}

type Caller = {
  session: ValidSession | null;
  account: SessionAccount | null;
  permissionEpoch?: number;
  apiKey?: ApiKeyCaller;
  apiKeyInvalid?: boolean;
};

async function resolveCaller(services: Services, em: () => EntityManager, req: RequestInfo): Promise<Caller> {
  const { sessions, clock } = services;
  const none = { session: null, account: null };
  const fromCookie = req.cookies.get(sessions.cookieName(req.secure));
  const token = fromCookie ?? sessions.readBearer(req.headers.get('authorization'));
  if (!token) return none;
  if (!fromCookie && isApiKeySecret(token)) return resolveApiKey(services, em, token, req);
  const found = await sessions.validate(token);
  if (!found) {
    if (fromCookie) req.cookies.set(sessions.blankCookie(req.secure));
    return none;
  }
  let session = found.session;
  // Only a cookie can take a new token back; a Bearer token (the CLI) cannot be planted by someone else.
  if (fromCookie && session.rotate) {
    const rotated = await rotateCookieSession(sessions, req, session.id);
    // Lost to a parallel request that rotated it first: that response carries the new cookie, so leave the cookie alone.
    if (!rotated) return none;
    session = rotated;
  } else if (fromCookie && session.fresh) req.cookies.set(sessions.cookie(token, req.secure));
  const { permissionEpoch, ...account } = found.user;
  if (session.seenStale) {
    await touchSession(em(), account.id, session.id);
    account.lastActiveAt = clock.now();
  }
  return { session, account, permissionEpoch };
}

/** A `Bearer rst_…` caller: the key, its user's account and the permission epoch from one prepared statement, like a session. */
async function resolveApiKey({ apiKeys, throttle, apiKeyCallsPerMinute }: Services, em: () => EntityManager, secret: string, req: RequestInfo): Promise<Caller> {
  const hash = await hashToken(secret);
  // The rate-limit count (Redis) runs beside the lookup (PostgreSQL): a key request waits for one round trip, not two.
  const [key, retryAfterMs] = await Promise.all([apiKeys.validate(hash), countApiKeyRequest(throttle, hash.slice(0, 32), apiKeyCallsPerMinute)]);
  if (!key) return { session: null, account: null, apiKeyInvalid: true };
  if (key.useStale) await recordApiKeyUse(em(), { id: key.id, userId: key.account.id }, clientOf(req));
  return { session: null, account: key.account, permissionEpoch: key.permissionEpoch, apiKey: { id: key.id, scopes: key.scopes, retryAfterMs } };
}

/** The acting user's own role or password changed: their current session gets a new token and cookie. */
export async function rotateOwnSession(ctx: Context): Promise<void> {
  // A Bearer caller (the CLI) could not receive the new token; its session is left as it is.
  if (!ctx.session || !ctx.req.cookies.get(ctx.services.sessions.cookieName(ctx.req.secure))) return;
  ctx.session = (await rotateCookieSession(ctx.services.sessions, ctx.req, ctx.session.id)) ?? ctx.session;
}

/** Gives a cookie session a new token and sends its cookie; null when a parallel request rotated it first. */
async function rotateCookieSession(sessions: Sessions<SessionUserAttributes>, req: RequestInfo, id: string): Promise<ValidSession | null> {
  const rotated = await sessions.rotate(id);
  if (!rotated) return null;
  req.cookies.set(sessions.cookie(rotated.token, req.secure));
  return rotated.session;
}
