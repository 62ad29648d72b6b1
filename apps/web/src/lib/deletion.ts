const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The countdown a deleted user shows: "purged in 6 days" (whole days rounded
 * up, so a fresh 7-day deletion reads 7), hours on the last day, and
 * "purging now" once the purge is due or has begun.
 */
export function purgeCountdown(purgeAt: string | null, purgeStartedAt: string | null, now: Date = new Date()): string {
  if (purgeStartedAt || !purgeAt) return 'purging now';
  const left = new Date(purgeAt).getTime() - now.getTime();
  if (left <= 0) return 'purging now';
  if (left < DAY) {
    const h = Math.ceil(left / HOUR);
    return h === 1 ? 'purged within the hour' : `purged in ${h} hours`;
  }
  const d = Math.ceil(left / DAY);
  return d === 1 ? 'purged in 1 day' : `purged in ${d} days`;
}
