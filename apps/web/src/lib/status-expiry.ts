/** The profile's "clear after" choices, turned into an expiry on the server (so the browser's clock never matters). */
export const STATUS_EXPIRY = [
  { value: '', label: 'Don’t clear' },
  { value: '30m', label: '30 minutes' },
  { value: '1h', label: '1 hour' },
  { value: '4h', label: '4 hours' },
  { value: '1d', label: '1 day' },
  { value: '7d', label: '1 week' },
] as const;

const MS: Record<string, number> = { '30m': 30 * 60_000, '1h': 3_600_000, '4h': 4 * 3_600_000, '1d': 86_400_000, '7d': 7 * 86_400_000 };

export function statusExpiry(choice: string, now = new Date()): string | null {
  const ms = MS[choice];
  return ms ? new Date(now.getTime() + ms).toISOString() : null;
}
