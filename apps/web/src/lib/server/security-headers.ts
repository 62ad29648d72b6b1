import { reachedOverHttps } from './services.ts';

/**
 * Headers every response carries. Pages get their Content-Security-Policy
 * from SvelteKit (`csp` in vite.config.ts, with a nonce per response for its
 * own inline script); everything else (tRPC answers, file downloads,
 * redirects) gets a policy that allows nothing, so an uploaded HTML or SVG
 * file opened from /api/files cannot run script in the instance's origin.
 */
const COMMON: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  // For browsers without CSP frame-ancestors.
  'x-frame-options': 'DENY',
};
const NOTHING_ALLOWED = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** One year; no includeSubDomains: other hosts of a self-hoster's domain may still be plain http. */
const HSTS = 'max-age=31536000';

export function withSecurityHeaders(url: URL, response: Response): Response {
  let res = response;
  try {
    res.headers.set('x-content-type-options', 'nosniff');
  } catch {
    // Headers of a fetched response are immutable: copy it.
    res = new Response(response.body, response);
  }
  for (const [k, v] of Object.entries(COMMON)) res.headers.set(k, v);
  const own = res.headers.get('content-security-policy');
  // A policy of the route's own (pages, downloads) is kept; it still may not be framed.
  if (!own) res.headers.set('content-security-policy', NOTHING_ALLOWED);
  else if (!/frame-ancestors/.test(own)) res.headers.set('content-security-policy', `${own}; frame-ancestors 'none'`);
  if (reachedOverHttps(url)) res.headers.set('strict-transport-security', HSTS);
  return res;
}
