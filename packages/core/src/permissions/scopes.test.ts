import { describe, expect, it } from 'vitest';
import { hasScope, ROLE_SCOPES, SCOPES } from './scopes.ts';

describe('role → scopes table', () => {
  it('gives the owner every scope and admins every scope but ownership transfer', () => {
    for (const scope of SCOPES) {
      expect(hasScope({ role: 'owner' }, scope)).toBe(true);
      expect(hasScope({ role: 'admin' }, scope)).toBe(scope !== 'owner:transfer');
    }
  });

  it('gives users and pending accounts no admin scope at all', () => {
    expect(ROLE_SCOPES.user).toEqual([]);
    expect(ROLE_SCOPES.pending).toEqual([]);
    for (const scope of SCOPES) {
      expect(hasScope({ role: 'user' }, scope)).toBe(false);
      expect(hasScope({ role: 'pending' }, scope)).toBe(false);
    }
  });

  it('maps only known scopes, each once', () => {
    for (const scopes of Object.values(ROLE_SCOPES)) {
      expect(new Set(scopes).size).toBe(scopes.length);
      for (const s of scopes) expect(SCOPES).toContain(s);
    }
  });
});
