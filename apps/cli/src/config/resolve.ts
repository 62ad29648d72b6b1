import { UsageError } from '../cli/errors.ts';
import { DEFAULT_PROFILE, readConfig, type Profile } from './store.ts';

export interface GlobalFlags {
  url?: string;
  profile?: string;
}

/** Where requests go and with which credential, after flags > environment > config file. */
export interface Connection {
  configFile: string;
  profileName: string;
  profile: Profile;
  url?: string;
  token?: string;
  tokenSource?: 'ROSTER_API_KEY' | 'ROSTER_TOKEN' | 'profile';
}

/** Accepts `host:3000`, a trailing slash or the API path itself; keeps the origin plus any base path. */
export function normalizeUrl(raw: string, source: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UsageError(`${source} is not a valid URL: ${raw}`, 'use the address of the Roster web app, e.g. https://roster.example.com');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${source} must be an http(s) URL: ${raw}`);
  }
  const base = url.pathname.replace(/\/+$/, '').replace(/\/api\/trpc$/, '');
  return `${url.origin}${base}`;
}

export function resolveConnection(flags: GlobalFlags, env: NodeJS.ProcessEnv, configFile: string): Connection {
  const config = readConfig(configFile);
  const profileName = flags.profile ?? (env.ROSTER_PROFILE || undefined) ?? config.currentProfile ?? DEFAULT_PROFILE;
  const profile = config.profiles[profileName] ?? {};
  const url = flags.url
    ? normalizeUrl(flags.url, '--url')
    : env.ROSTER_URL
      ? normalizeUrl(env.ROSTER_URL, 'ROSTER_URL')
      : profile.url;
  const conn: Connection = { configFile, profileName, profile, url };
  if (env.ROSTER_API_KEY) return { ...conn, token: env.ROSTER_API_KEY, tokenSource: 'ROSTER_API_KEY' };
  if (env.ROSTER_TOKEN) return { ...conn, token: env.ROSTER_TOKEN, tokenSource: 'ROSTER_TOKEN' };
  // A stored session belongs to the server it came from: never send it to another URL.
  if (profile.token && url === profile.url) return { ...conn, token: profile.token, tokenSource: 'profile' };
  return conn;
}

/** True for addresses where plain http does not cross a network. */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}
