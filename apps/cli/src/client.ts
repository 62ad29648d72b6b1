import { createTRPCClient, createTRPCUntypedClient, httpLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '@roster/api';
import pkg from '../package.json' with { type: 'json' };

export type Api = TRPCClient<AppRouter>;
export type UntypedApi = ReturnType<typeof createTRPCUntypedClient<AppRouter>>;

export const SESSION_COOKIE = 'roster_session';
/** The name the server gives it when the instance is reached over https. */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;
const TIMEOUT_MS = Number(process.env.ROSTER_TIMEOUT_MS) || 60_000;
export const USER_AGENT = `roster-cli/${pkg.version} node/${process.versions.node}`;

export class NotRosterResponse extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`HTTP ${status} without a JSON body`);
    this.status = status;
  }
}

export interface ClientOptions {
  url: string;
  token?: string;
  /** Sees every response, e.g. to pick the session token out of Set-Cookie at sign-in. */
  onResponse?(res: Response): void;
}

/** Plain httpLink (no batching): one request per command step keeps errors and logs simple. */
function link(opts: ClientOptions) {
  return httpLink<AppRouter>({
    url: `${opts.url}/api/trpc`,
    // The user agent names the CLI in the server's session list.
    headers: () => ({
      'user-agent': USER_AGENT,
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    }),
    fetch: async (input, init) => {
      const signal = AbortSignal.timeout(TIMEOUT_MS);
      const res = await fetch(input as RequestInfo, { ...(init as RequestInit), signal });
      opts.onResponse?.(res);
      // Something other than Roster answered (a proxy, a wrong path): say so instead of a JSON parse error.
      if (!res.headers.get('content-type')?.includes('json')) throw new NotRosterResponse(res.status);
      return res;
    },
  });
}

export function createApi(opts: ClientOptions): Api {
  return createTRPCClient<AppRouter>({ links: [link(opts)] });
}

/** For `roster call`: procedures by their dotted path, input and output unchecked. */
export function createUntypedApi(opts: ClientOptions): UntypedApi {
  return createTRPCUntypedClient<AppRouter>({ links: [link(opts)] });
}

/** The session token from `Set-Cookie: roster_session=…` (or `__Host-roster_session` over https), which only the HTTP headers carry. */
export function sessionTokenFrom(res: Response): string | undefined {
  for (const cookie of res.headers.getSetCookie()) {
    const [pair] = cookie.split(';');
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq).trim();
    if (name === SESSION_COOKIE || name === SECURE_SESSION_COOKIE) return decodeURIComponent(pair!.slice(eq + 1).trim()) || undefined;
  }
  return undefined;
}
