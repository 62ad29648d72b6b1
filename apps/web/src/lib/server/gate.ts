/**
 * Issue 3's web gates: a pending account sees only the waiting page, and an
 * account with a required password change sees only the change-password page,
 * whatever page they ask for. The router enforces the same gates on every
 * procedure; this only spares people pages full of "not allowed".
 */
const ALWAYS_OPEN = ['/signout', '/invite/', '/reset/'];

export function gateFor(actor: { role: string; mustChangePassword: boolean } | null, pathname: string): string | null {
  if (!actor || ALWAYS_OPEN.some((p) => pathname === p || pathname.startsWith(p))) return null;
  if (actor.role === 'pending') return pathname === '/pending' ? null : '/pending';
  if (actor.mustChangePassword) return pathname === '/change-password' ? null : '/change-password';
  return null;
}
