import { describe, expect, it } from 'vitest';
import { gateFor } from './gate.ts';

const user = { role: 'user', mustChangePassword: false };

describe('gateFor', () => {
  it('lets anonymous visitors and ordinary users through', () => {
    expect(gateFor(null, '/admin/users')).toBeNull();
    expect(gateFor(user, '/profile')).toBeNull();
    expect(gateFor({ role: 'admin', mustChangePassword: false }, '/admin/users')).toBeNull();
  });

  it('holds a pending account on the waiting page', () => {
    const pending = { role: 'pending', mustChangePassword: false };
    expect(gateFor(pending, '/')).toBe('/pending');
    expect(gateFor(pending, '/profile')).toBe('/pending');
    expect(gateFor(pending, '/pending')).toBeNull();
    expect(gateFor({ ...pending, mustChangePassword: true }, '/change-password')).toBe('/pending');
  });

  it('sends a required password change first, from every page', () => {
    const must = { role: 'admin', mustChangePassword: true };
    for (const p of ['/', '/admin/users', '/admin/settings', '/profile', '/pending']) expect(gateFor(must, p)).toBe('/change-password');
    expect(gateFor(must, '/change-password')).toBeNull();
  });

  it('never blocks signing out or following a link', () => {
    const must = { role: 'user', mustChangePassword: true };
    expect(gateFor(must, '/signout')).toBeNull();
    expect(gateFor(must, '/reset/abc')).toBeNull();
    expect(gateFor({ role: 'pending', mustChangePassword: false }, '/invite/abc')).toBeNull();
  });
});
