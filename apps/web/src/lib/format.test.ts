import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, hueOf, initials, relativeTime, usagePercent } from './format.ts';

describe('format', () => {
  it('takes initials from first and last name, else the email', () => {
    expect(initials('Ada Lovelace')).toBe('AL');
    expect(initials('Grace Brewster Hopper')).toBe('GH');
    expect(initials('cher')).toBe('CH');
    expect(initials('  ', 'zed@example.com')).toBe('ZE');
  });

  it('gives a person the same hue every time', () => {
    expect(hueOf('ada@example.com')).toBe(hueOf('ada@example.com'));
    expect(hueOf('ada@example.com')).toBeGreaterThanOrEqual(0);
    expect(hueOf('ada@example.com')).toBeLessThan(360);
  });

  it('formats byte counts', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10 * 1024 ** 3)).toBe('10 GB');
  });

  it('counts exactly, or says "about" and rounds an estimate', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1000)).toBe('1,000');
    expect(formatCount(1234, true)).toBe('about 1,200');
    expect(formatCount(9_960, true)).toBe('about 10,000');
    expect(formatCount(12_345, true)).toBe('about 12,300');
    expect(formatCount(184_732, true)).toBe('about 185,000');
    expect(formatCount(1_234_567, true)).toBe('about 1,230,000');
  });

  it('computes quota usage, null meaning unlimited', () => {
    expect(usagePercent(5, null)).toBeNull();
    expect(usagePercent(50, 200)).toBe(25);
    expect(usagePercent(500, 200)).toBe(100);
    expect(usagePercent(0, 0)).toBe(100);
  });

  it('says how long ago', () => {
    const now = new Date('2026-01-10T12:00:00Z');
    expect(relativeTime('2026-01-10T11:59:50Z', now)).toBe('just now');
    expect(relativeTime('2026-01-10T11:55:00Z', now)).toBe('5 minutes ago');
    expect(relativeTime('2026-01-10T09:00:00Z', now)).toBe('3 hours ago');
    expect(relativeTime('2026-01-09T12:00:00Z', now)).toBe('yesterday');
    expect(relativeTime('2025-12-20T12:00:00Z', now)).toBe('3 weeks ago');
  });
});
