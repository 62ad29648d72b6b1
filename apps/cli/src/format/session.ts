import type { Outputs } from '../api-types.ts';
import { relativeTime, table, type Style } from '../cli/output.ts';

export type Session = Outputs['me']['sessions']['list'][number];

/** "Firefox on Linux", "roster-cli 0.1.0": enough to recognise a session without the whole user agent. */
export function client(ua: string | null): string {
  if (!ua) return 'unknown client';
  const cli = /^roster-cli\/(\S+)/.exec(ua);
  if (cli) return `roster CLI ${cli[1]}`;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrome\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : undefined;
  const os = /Windows/.test(ua) ? 'Windows' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : undefined;
  if (browser) return os ? `${browser} on ${os}` : browser;
  return ua.length > 40 ? `${ua.slice(0, 39)}…` : ua;
}

export function sessionTable(sessions: readonly Session[], s: Style): string {
  const now = Date.now();
  return table(
    sessions,
    [
      { header: 'ID', cell: (x) => (x.current ? `${s.green(x.id)} ${s.green('(this one)')}` : x.id) },
      { header: 'CLIENT', cell: (x) => client(x.userAgent) },
      { header: 'IP', cell: (x) => x.ip ?? s.dim('-') },
      { header: 'SIGNED IN', cell: (x) => relativeTime(x.createdAt, now) },
      { header: 'LAST SEEN', cell: (x) => relativeTime(x.lastSeenAt, now) },
    ],
    s,
  );
}
