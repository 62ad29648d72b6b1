/**
 * Headers every response carries (pages, API answers, downloads). Pages get
 * their Content-Security-Policy from SvelteKit (`csp` in vite.config.ts, with
 * a nonce per response for its own inline script); everything else gets a
 * policy that allows nothing, so an uploaded HTML or SVG file opened from
 * /api/files cannot run script in the instance's origin.
 */
export const COMMON_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  // For browsers without CSP frame-ancestors.
  'x-frame-options': 'DENY',
};
export const NOTHING_ALLOWED_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** One year; no includeSubDomains: other hosts of a self-hoster's domain may still be plain http. */
export const HSTS = 'max-age=31536000';

/** The headers of a response with no policy of its own (API answers), over https or not. */
export function apiSecurityHeaders(secure: boolean): Record<string, string> {
  return { ...COMMON_SECURITY_HEADERS, 'content-security-policy': NOTHING_ALLOWED_CSP, ...(secure ? { 'strict-transport-security': HSTS } : {}) };
}

/** Built once per scheme: every API response sets them. */
const apiHeaderEntries = [false, true].map((secure) => Object.entries(apiSecurityHeaders(secure)));

/** Sets the API security headers on a response. */
export function setApiSecurityHeaders(res: { setHeader(name: string, value: string): unknown }, secure: boolean): void {
  for (const [k, v] of apiHeaderEntries[secure ? 1 : 0]!) res.setHeader(k, v);
}
