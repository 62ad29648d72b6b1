import { describe, expect, it } from 'vitest';
import { purgeCountdown } from './deletion.ts';

const now = new Date('2026-03-01T12:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
const H = 3_600_000;

describe('purgeCountdown', () => {
  it('counts whole days up, so a fresh 7-day grace period reads 7', () => {
    expect(purgeCountdown(at(7 * 24 * H), null, now)).toBe('purged in 7 days');
    expect(purgeCountdown(at(7 * 24 * H - 60_000), null, now)).toBe('purged in 7 days');
    expect(purgeCountdown(at(24 * H + 1), null, now)).toBe('purged in 2 days');
    expect(purgeCountdown(at(24 * H), null, now)).toBe('purged in 1 day');
  });

  it('switches to hours on the last day', () => {
    expect(purgeCountdown(at(5 * H), null, now)).toBe('purged in 5 hours');
    expect(purgeCountdown(at(10 * 60_000), null, now)).toBe('purged within the hour');
  });

  it('says "purging now" once due or started', () => {
    expect(purgeCountdown(at(0), null, now)).toBe('purging now');
    expect(purgeCountdown(at(-H), null, now)).toBe('purging now');
    expect(purgeCountdown(at(5 * 24 * H), at(-1000), now)).toBe('purging now');
    expect(purgeCountdown(null, null, now)).toBe('purging now');
  });
});
