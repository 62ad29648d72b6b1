import { describe, expect, it } from 'vitest';
import { percentLabel, usageLevel } from './usage-level.ts';

describe('usageLevel', () => {
  it('follows the 80 / 90 / 100 % thresholds', () => {
    expect(usageLevel(5, null)).toBe('ok');
    expect(usageLevel(79, 100)).toBe('ok');
    expect(usageLevel(80, 100)).toBe('warn');
    expect(usageLevel(899, 1000)).toBe('warn');
    expect(usageLevel(90, 100)).toBe('danger');
    expect(usageLevel(100, 100)).toBe('full');
  });
});

describe('percentLabel', () => {
  it('never rounds up to a full quota', () => {
    expect(percentLabel(1, null)).toBeNull();
    expect(percentLabel(999, 1000)).toBe('99 %');
    expect(percentLabel(1000, 1000)).toBe('100 %');
    expect(percentLabel(25, 1000)).toBe('2.5 %');
    expect(percentLabel(925, 1000)).toBe('92 %');
  });
});
