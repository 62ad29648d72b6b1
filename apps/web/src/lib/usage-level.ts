/**
 * How alarming a usage figure is, at the thresholds the server notifies on
 * (80, 90 and 100 %), so bars, badges and warnings agree everywhere.
 */
export type UsageLevel = 'ok' | 'warn' | 'danger' | 'full';

export function usageLevel(used: number, quota: number | null): UsageLevel {
  if (quota == null) return 'ok';
  if (used >= quota) return 'full';
  // Compare unrounded: 89.6 % is not yet over 90 %.
  const share = quota <= 0 ? 1 : used / quota;
  return share >= 0.9 ? 'danger' : share >= 0.8 ? 'warn' : 'ok';
}

/** Percent with one decimal below 10 % and whole numbers above, never showing 100 % before the quota is full. */
export function percentLabel(used: number, quota: number | null): string | null {
  if (quota == null) return null;
  if (used >= quota) return '100 %';
  const p = quota <= 0 ? 100 : (used / quota) * 100;
  return `${p < 10 ? Math.floor(p * 10) / 10 : Math.min(99, Math.floor(p))} %`;
}
