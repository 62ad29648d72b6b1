/**
 * Security headers, black-box against the built app: pages carry a nonce
 * CSP (no 'unsafe-inline' script) with frame-ancestors 'none'; every page,
 * API answer and download carries nosniff and a Referrer-Policy; HSTS only
 * when the instance is https (ROSTER_PUBLIC_URL, or the request's scheme).
 */
import { describe, expect, it, vi } from 'vitest';
import { appWithOwner } from '../../support/owner-app.ts';
import { startApp } from '../../support/server.ts';

vi.setConfig({ testTimeout: 60_000 });

const held = appWithOwner();

const get = (path: string, init: RequestInit = {}) => fetch(new URL(path, held.app.baseUrl), { redirect: 'manual', ...init });
const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));

function expectCommon(res: Response, what: string) {
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  expect(res.headers.get('content-security-policy'), what).toMatch(/frame-ancestors 'none'/);
  // Plain http on loopback: no HSTS (it would pin a LAN instance to an https it does not have).
  expect(res.headers.get('strict-transport-security'), what).toBeNull();
}

describe('pages', () => {
  it('carry a nonce CSP that matches the inline script, and no unsafe-inline script', async () => {
    for (const path of ['/signin', '/setup', '/no-such-page']) {
      const res = await get(path);
      expectCommon(res, path);
      if (res.status !== 200 && res.status !== 404) continue; // /setup redirects once an owner exists
      const csp = directives(res.headers.get('content-security-policy')!);
      const script = csp.get('script-src')!;
      expect(script, path).toContain("'self'");
      expect(script, path).not.toContain("'unsafe-inline'");
      const nonce = script.find((s) => s.startsWith("'nonce-"))!.slice(7, -1);
      expect(nonce.length, path).toBeGreaterThanOrEqual(16);
      expect(csp.get('object-src')).toEqual(["'none'"]);
      expect(csp.get('base-uri')).toEqual(["'self'"]);
      const html = await res.text();
      // Every inline script SvelteKit wrote carries this response's nonce.
      const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
      expect(inline.length, path).toBeGreaterThan(0);
      for (const [, attrs] of inline) expect(attrs, path).toContain(`nonce="${nonce}"`);
    }
  });

  it('get a fresh nonce on every response', async () => {
    const nonce = async () => /'nonce-([^']+)'/.exec((await get('/signin')).headers.get('content-security-policy')!)![1];
    expect(await nonce()).not.toBe(await nonce());
  });

  it('carry the headers on redirects and on signed-in admin pages', async () => {
    expectCommon(await get('/'), 'redirect /');
    const users = await get('/admin/users', { headers: { cookie: held.owner.cookie } });
    expect(users.status).toBe(200);
    expectCommon(users, '/admin/users');
    expect(users.headers.get('content-security-policy')).toMatch(/'nonce-/);
  });
});

describe('API answers and downloads', () => {
  it('carry nosniff, Referrer-Policy and a CSP that allows nothing', async () => {
    const status = await get('/api/trpc/setup.status');
    expect(status.status).toBe(200);
    const refused = await get('/api/trpc/auth.me');
    expect(refused.status).toBe(401);
    const up = await held.owner.upload(Buffer.from('<script>alert(1)</script>'), { name: 'x.html', headers: { 'content-type': 'text/html' } });
    expect(up.status).toBe(201);
    const { file } = (await up.json()) as { file: { id: string } };
    const down = await held.owner.download(file.id);
    expect(down.status).toBe(200);
    for (const [what, res] of [['status', status], ['401', refused], ['upload', up]] as const) {
      expectCommon(res, what);
      expect(res.headers.get('content-security-policy'), what).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    }
    // The download keeps its own sandbox policy, with frame-ancestors added.
    expectCommon(down, 'download');
    expect(down.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox; frame-ancestors 'none'");
  });
});

describe('HSTS', () => {
  it('is sent when ROSTER_PUBLIC_URL is https (a TLS proxy in front), on pages and API answers', async () => {
    const tls = await startApp({ env: { ROSTER_PUBLIC_URL: 'https://roster.example.org' } });
    try {
      for (const path of ['/setup', '/api/trpc/setup.status']) {
        const res = await fetch(new URL(path, tls.baseUrl), { redirect: 'manual' });
        expect(res.headers.get('strict-transport-security'), path).toBe('max-age=31536000');
        expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      }
    } finally {
      await tls.stop();
    }
  });

  it('is sent when the request itself came over https (PROTOCOL_HEADER from a proxy)', async () => {
    const proxied = await startApp({ env: { PROTOCOL_HEADER: 'x-forwarded-proto' } });
    try {
      const https = await fetch(new URL('/api/trpc/setup.status', proxied.baseUrl), { headers: { 'x-forwarded-proto': 'https' } });
      expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000');
      const http = await fetch(new URL('/api/trpc/setup.status', proxied.baseUrl), { headers: { 'x-forwarded-proto': 'http' } });
      expect(http.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await proxied.stop();
    }
  });
});
