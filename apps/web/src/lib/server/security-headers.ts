import { COMMON_SECURITY_HEADERS, HSTS, NOTHING_ALLOWED_CSP } from '@roster/api';
import { reachedOverHttps } from './services.ts';

/**
 * The security headers (@roster/api's security-headers.ts) on SvelteKit's
 * responses. A page's own Content-Security-Policy (SvelteKit's, with its
 * nonce) or a download's is kept, and may still not be framed; anything
 * without one gets the policy that allows nothing.
 */
export function withSecurityHeaders(url: URL, response: Response): Response {
  let res = response;
  try {
    res.headers.set('x-content-type-options', 'nosniff');
  } catch {
    // Headers of a fetched response are immutable: copy it.
    res = new Response(response.body, response);
  }
  for (const [k, v] of Object.entries(COMMON_SECURITY_HEADERS)) res.headers.set(k, v);
  const own = res.headers.get('content-security-policy');
  if (!own) res.headers.set('content-security-policy', NOTHING_ALLOWED_CSP);
  else if (!/frame-ancestors/.test(own)) res.headers.set('content-security-policy', `${own}; frame-ancestors 'none'`);
  if (reachedOverHttps(url)) res.headers.set('strict-transport-security', HSTS);
  return res;
}
