/** Display helpers shared by pages and components; pure, so server and browser render alike. */

export function initials(name: string, email = ''): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length >= 2) return (words[0][0] + words[words.length - 1][0]).toUpperCase();
  if (words.length === 1) return words[0].slice(0, 2).toUpperCase();
  return email.slice(0, 2).toUpperCase() || '?';
}

/** A stable hue per person, so an avatar keeps its colour across pages. */
export function hueOf(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % 360;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Binary multiples with decimal-looking labels, as Immich and most file managers show them. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  const i = Math.min(UNITS.length - 1, Math.floor(Math.log(bytes) / Math.log(1024)));
  const v = bytes / 1024 ** i;
  return `${i === 0 ? v : v < 10 ? v.toFixed(1) : Math.round(v)} ${UNITS[i]}`;
}

/** Share of the quota used, 0–100; null when there is no quota (unlimited). */
export function usagePercent(used: number, quota: number | null): number | null {
  if (quota == null) return null;
  if (quota <= 0) return 100;
  return Math.min(100, Math.round((used / quota) * 100));
}

const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

export function relativeTime(iso: string | Date, now: Date = new Date()): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  for (const [unit, size] of STEPS) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(Math.round(seconds / 60), 'minute');
}

const dateFmt = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const dateTimeFmt = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** UTC, so the server-rendered text matches what hydration produces in any browser time zone. */
export const formatDate = (iso: string | Date) => dateFmt.format(new Date(iso));
export const formatDateTime = (iso: string | Date) => `${dateTimeFmt.format(new Date(iso))} UTC`;

const countFmt = new Intl.NumberFormat('en');
const roughFmt = (digits: number) => new Intl.NumberFormat('en', { maximumSignificantDigits: digits });
const rough = [roughFmt(2), roughFmt(3)] as const;

/**
 * "1,000" for an exact count; "about 185,000" for the planner's estimate
 * (admin.users.list's totalEstimated), rounded so it does not look exact:
 * two significant digits below 10,000 ("about 1,200"), three above.
 */
export function formatCount(n: number, estimated = false): string {
  if (!estimated) return countFmt.format(n);
  return `about ${rough[n < 10_000 ? 0 : 1].format(n)}`;
}
