/** When a membership added now ends: a preset counted on the server (so the browser's clock never matters) or a date in UTC. */
export const MEMBERSHIP_EXPIRY = [
  { value: '', label: 'Never' },
  { value: '1h', label: 'In 1 hour' },
  { value: '1d', label: 'In 1 day' },
  { value: '7d', label: 'In 1 week' },
  { value: '30d', label: 'In 30 days' },
  { value: 'date', label: 'At a date and time…' },
] as const;

const MS: Record<string, number> = { '1h': 3_600_000, '1d': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

/**
 * The `expiresAt` to send: null for never, an ISO instant, or undefined when
 * the chosen date is missing, unreadable or not in the future. `on` is a
 * datetime-local value, read as UTC (the dates Roster shows are UTC).
 */
export function membershipExpiry(choice: string, on: string, now = new Date()): string | null | undefined {
  if (choice === 'date' || (!choice && on)) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(on)) return undefined;
    const at = new Date(`${on}Z`);
    return Number.isNaN(at.getTime()) || at <= now ? undefined : at.toISOString();
  }
  const ms = MS[choice];
  return ms ? new Date(now.getTime() + ms).toISOString() : null;
}
