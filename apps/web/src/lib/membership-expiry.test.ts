import { describe, expect, it } from 'vitest';
import { membershipExpiry } from './membership-expiry.ts';

const NOW = new Date('2026-12-04T12:00:00Z');

describe('membership expiry from the add-members form', () => {
  it('counts presets from the server clock', () => {
    expect(membershipExpiry('', '', NOW)).toBeNull();
    expect(membershipExpiry('1d', '', NOW)).toBe('2026-12-05T12:00:00.000Z');
    expect(membershipExpiry('bogus', '', NOW)).toBeNull();
  });

  it('reads a chosen date as UTC and refuses one in the past or unreadable', () => {
    expect(membershipExpiry('date', '2026-12-24T18:30', NOW)).toBe('2026-12-24T18:30:00.000Z');
    // Without JavaScript the date box is there whatever the select says: a filled box counts when no preset is chosen.
    expect(membershipExpiry('', '2026-12-24T18:30', NOW)).toBe('2026-12-24T18:30:00.000Z');
    expect(membershipExpiry('date', '2026-12-01T08:00', NOW)).toBeUndefined();
    expect(membershipExpiry('date', '', NOW)).toBeUndefined();
    expect(membershipExpiry('date', 'tomorrow', NOW)).toBeUndefined();
  });
});
