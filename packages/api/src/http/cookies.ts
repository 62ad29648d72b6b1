import type { SessionCookie } from '@roster/auth';

/** One cookie's value from a Cookie header (the first of that name, as browsers send the most specific first). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}

/** A Set-Cookie value for a session cookie (its name and value are base32 and hex: nothing to escape). */
export function serializeCookie(c: SessionCookie): string {
  const a = c.attributes;
  let out = `${c.name}=${encodeURIComponent(c.value)}; Path=${a.path}`;
  if (a.maxAge !== undefined) out += `; Max-Age=${Math.floor(a.maxAge)}`;
  if (a.expires) out += `; Expires=${a.expires.toUTCString()}`;
  if (a.httpOnly) out += '; HttpOnly';
  if (a.secure) out += '; Secure';
  out += '; SameSite=Lax';
  return out;
}
