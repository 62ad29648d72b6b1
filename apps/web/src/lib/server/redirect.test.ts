import { describe, expect, it } from 'vitest';
import { safeRedirect, signInUrl } from './redirect.ts';

describe('safeRedirect', () => {
  it('keeps relative paths with their query', () => {
    expect(safeRedirect('/admin/settings')).toBe('/admin/settings');
    expect(safeRedirect('/admin/users?q=ada&page=2')).toBe('/admin/users?q=ada&page=2');
  });

  it('refuses anything that leaves the site', () => {
    for (const t of ['https://evil.example', '//evil.example', '/\\evil.example', '/\t/evil.example', 'javascript:alert(1)', '']) {
      expect(safeRedirect(t)).toBe('/admin/users');
    }
    expect(safeRedirect(null, '/')).toBe('/');
  });

  it('builds a sign-in link that comes back', () => {
    expect(signInUrl(new URL('http://x/admin/users?q=a'))).toBe('/signin?redirectTo=%2Fadmin%2Fusers%3Fq%3Da');
    expect(signInUrl(new URL('http://x/'))).toBe('/signin');
  });
});
