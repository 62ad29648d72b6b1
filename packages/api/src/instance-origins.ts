import type { RequestInfo } from './context.ts';

/**
 * The origins that count as "this instance" (for `http:` avatars): the
 * configured ROSTER_PUBLIC_URL when set — then the Host header, which any
 * client may forge, is not trusted — otherwise the request's own origin
 * (a LAN instance reached as http://nas.local:3000).
 */
export function instanceOrigins(req: RequestInfo, publicUrl = process.env.ROSTER_PUBLIC_URL): string[] {
  if (publicUrl) {
    try {
      return [new URL(publicUrl).origin];
    } catch {
      return [];
    }
  }
  const host = req.headers.get('host');
  if (!host) return [];
  try {
    return [new URL(`${req.secure ? 'https' : 'http'}://${host}`).origin];
  } catch {
    return [];
  }
}
