/**
 * Against the built app: first run beyond loopback needs the token the web
 * process prints; cookies are `__Host-`, Secure once ROSTER_PUBLIC_URL is
 * https, even when the request itself arrives over plain http (a TLS proxy).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { CliSandbox, okJson } from '../../support/cli.ts';
import { hydrated, launchBrowser, newContext, snap } from '../../support/browser.ts';

const OWNER = { name: 'Olga Owner', email: 'olga@example.com', password: 'owner-password-1' };

const post = (app: RunningApp, path: string, input: unknown, headers: Record<string, string> = {}) =>
  fetch(`${app.baseUrl}/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(input) });
const appCode = async (res: Response) => ((await res.json()) as { error?: { data?: { appCode?: string } } }).error?.data?.appCode;

describe('first run on a server listening on 0.0.0.0', () => {
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    // Bound to every interface, as the default HOST is; the test talks to 127.0.0.1 only.
    [app, browser] = await Promise.all([startApp({ env: { HOST: '0.0.0.0' } }), launchBrowser()]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
  const printedToken = () => /\/setup\?token=([A-Za-z0-9_-]+)/.exec(app.output())?.[1];

  it('the web process prints a /setup?token= link, and createOwner without it or with a wrong one is refused', async () => {
    expect(app.output()).toMatch(/roster: no owner yet; create one at http:\/\/localhost:\d+\/setup\?token=[A-Za-z0-9_-]{40,}/);
    const token = printedToken()!;
    const none = await post(app, 'setup.createOwner', OWNER);
    expect(none.status).toBe(403);
    expect(await appCode(none)).toBe('SETUP_TOKEN_INVALID');
    const wrong = await post(app, 'setup.createOwner', { ...OWNER, token: token.split('').reverse().join('') });
    expect(wrong.status).toBe(403);
    expect(await appCode(wrong)).toBe('SETUP_TOKEN_INVALID');
    expect((await fetch(`${app.baseUrl}/setup?token=${token}`)).status).toBe(200);
  });

  it('without the token the page says where to find the link; the printed link creates the owner in one go', async () => {
    const context = await newContext(browser, app.baseUrl);
    const page = await context.newPage();
    await page.goto('/setup');
    await hydrated(page);
    await page.getByText('Open the setup link this server printed').waitFor();
    await snap(page, 'setup-without-token-light-desktop');

    await page.goto(`/setup?token=${printedToken()}`);
    await hydrated(page);
    expect(await page.getByText('Open the setup link this server printed').count()).toBe(0);
    await page.getByLabel('Name').fill(OWNER.name);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByLabel('Confirm password').fill(OWNER.password);
    await snap(page, 'setup-with-token-light-desktop');
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await page.waitForURL('**/admin/users');
    expect(await page.getByTestId('current-user').innerText()).toContain(OWNER.name);
    await context.close();
  }, 60_000);

  it('once the owner exists the answer is SETUP_DONE, with the old token or without', async () => {
    for (const token of [printedToken(), undefined]) {
      const res = await post(app, 'setup.createOwner', { ...OWNER, email: 'x@example.com', token });
      expect(res.status).toBe(403);
      expect(await appCode(res)).toBe('SETUP_DONE');
    }
  });
});

describe('session cookie behind a TLS proxy (ROSTER_PUBLIC_URL=https://…, plain http to the app)', () => {
  let app: RunningApp;
  let cli: CliSandbox;
  beforeAll(async () => {
    app = await startApp({ env: { ROSTER_PUBLIC_URL: 'https://roster.example.test' } });
    cli = new CliSandbox();
  }, 60_000);
  afterAll(async () => {
    cli?.remove();
    await app?.stop();
  });

  it('is __Host-roster_session with Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain; the plain name is ignored', async () => {
    // HOST is loopback here (startApp's default): no setup token is asked.
    expect(app.output()).not.toContain('setup?token=');
    const res = await post(app, 'setup.createOwner', OWNER);
    expect(res.status).toBe(200);
    const [setCookie] = res.headers.getSetCookie();
    expect(setCookie).toMatch(/^__Host-roster_session=[a-z2-7]{40};/);
    const attrs = setCookie!.split(';').map((a) => a.trim().toLowerCase());
    expect(attrs).toEqual(expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/']));
    expect(attrs.some((a) => a.startsWith('domain='))).toBe(false);

    const token = /^__Host-roster_session=([^;]+)/.exec(setCookie!)![1]!;
    const me = (cookie: string) => fetch(`${app.baseUrl}/api/trpc/auth.me`, { headers: { cookie } });
    expect((await me(`__Host-roster_session=${token}`)).status).toBe(200);
    expect((await me(`roster_session=${token}`)).status).toBe(401);
  });

  it('the CLI signs in and picks the token out of the __Host- cookie', async () => {
    const login = await cli.run(['login', '--url', app.baseUrl, '--email', OWNER.email, '--password-stdin'], { input: OWNER.password });
    expect(login.code, login.stderr).toBe(0);
    expect(cli.config().profiles.default?.token).toMatch(/^[a-z2-7]{40}$/);
    expect(okJson(await cli.run(['whoami', '--json']))).toMatchObject({ email: OWNER.email });
  });
});

describe('session cookie over plain http without ROSTER_PUBLIC_URL', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  }, 60_000);
  afterAll(() => app?.stop());

  it('is roster_session without Secure, so a LAN or loopback instance keeps working', async () => {
    const res = await post(app, 'setup.createOwner', OWNER);
    const [setCookie] = res.headers.getSetCookie();
    expect(setCookie).toMatch(/^roster_session=[a-z2-7]{40};/);
    expect(setCookie!.toLowerCase()).not.toContain('secure');
  });
});
