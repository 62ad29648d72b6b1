import { SESSION_COOKIE, type SessionCookie, type ValidSession } from '@roster/auth';
import type { Actor, CoreDeps } from '@roster/core';
import { User, type EntityManager } from '@roster/db';
import type { Services } from './services.ts';

/** How the transport reads and writes cookies (SvelteKit's, or a test jar). */
export interface CookieJar {
  get(name: string): string | undefined;
  set(cookie: SessionCookie): void;
}

export interface RequestInfo {
  headers: Headers;
  ip: string | null;
  /** Served over https: session cookies get `Secure`. */
  secure: boolean;
  cookies: CookieJar;
}

export interface Context {
  services: Services;
  em: EntityManager;
  deps: CoreDeps;
  req: RequestInfo;
  session: ValidSession | null;
  actor: Actor | null;
}

/** Resolves the caller from the session cookie or a Bearer token; renews the cookie as Lucia asks. */
export async function createContext(services: Services, req: RequestInfo): Promise<Context> {
  const em = services.orm.em.fork() as EntityManager;
  const deps: CoreDeps = {
    em,
    clock: services.clock,
    sessions: services.sessions,
    jobs: services.jobs,
    dataDir: services.dataDir,
    throttle: services.throttle,
    client: { ip: req.ip, userAgent: req.headers.get('user-agent')?.slice(0, 400) ?? null },
  };
  const fromCookie = req.cookies.get(SESSION_COOKIE);
  const token = fromCookie ?? services.sessions.readBearer(req.headers.get('authorization'));
  let session: ValidSession | null = null;
  let actor: Actor | null = null;
  if (token) {
    session = await services.sessions.validate(token);
    if (session && fromCookie && session.fresh) req.cookies.set(services.sessions.cookie(session.id, req.secure));
    if (!session && fromCookie) req.cookies.set(services.sessions.blankCookie(req.secure));
    if (session) {
      const user = await em.findOne(User, session.userId);
      if (user && user.status === 'active') {
        actor = {
          id: user.id,
          email: user.email,
          name: user.name,
          role: user.role,
          status: user.status,
          mustChangePassword: user.mustChangePassword,
        };
        await touchActivity(em, user.id, session.id);
      } else session = null;
    }
  }
  return { services, em, deps, req, session, actor };
}

/** Last-seen times are written at most once a minute, so reads stay cheap. */
async function touchActivity(em: EntityManager, userId: string, sessionId: string): Promise<void> {
  await em.execute(
    `update users set last_active_at = now()
      where id = ? and (last_active_at is null or last_active_at < now() - interval '1 minute')`,
    [userId],
  );
  await em.execute(
    `update sessions set last_seen_at = now() where id = ? and last_seen_at < now() - interval '1 minute'`,
    [sessionId],
  );
}
