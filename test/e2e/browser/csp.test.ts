/**
 * Under the Content-Security-Policy every page still hydrates and works, with
 * no violation reported: setup (as admin@localhost, a local-domain email the
 * form's type=email accepts), sign-in, admin users, files (an upload), and
 * the settings page, where the instance default quota is shown and edited.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { hydrated, launchBrowser, newContext, screenshotDir, snap } from '../../support/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'admin@localhost', password: 'analytical-engine-1843' };

let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Violations seen by the page (its `securitypolicyviolation` events) and by Chromium's console. */
const violations: string[] = [];

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  context = await newContext(browser, app.baseUrl);
  // Init scripts run through the DevTools protocol, outside the page's CSP.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy|CSP violation/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => violations.push(`${page.url()}: page error ${e.message}`));
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** A tRPC query with the page's cookies. */
const query = async (path: string) => ((await (await page.request.get(`/api/trpc/${path}`)).json()) as { result: { data: unknown } }).result.data;

/** Visits `path`, waits for hydration, and checks the page was served under the policy. */
async function visit(path: string) {
  const res = await page.goto(path);
  expect(res!.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+'.*frame-ancestors 'none'/);
  await hydrated(page);
}

describe('pages under the CSP', () => {
  it('setup hydrates, its email field accepts a local domain, and the owner is created', async () => {
    await visit('/setup');
    const email = page.getByLabel('Email');
    for (const [value, valid] of [['admin@localhost', true], ['ana@homelab', true], ['not an email', false]] as const) {
      await email.fill(value);
      expect(await email.evaluate((el: HTMLInputElement) => el.checkValidity()), value).toBe(valid);
    }
    await page.getByLabel('Name').fill(OWNER.name);
    await email.fill(OWNER.email);
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByLabel('Confirm password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/setup'));
    await hydrated(page);
    expect(await query('auth.me')).toMatchObject({ email: OWNER.email, role: 'owner' });
  });

  it('sign-in hydrates and signs in with the local-domain email', async () => {
    await context.clearCookies();
    await visit('/signin');
    expect(await page.getByLabel('Email').evaluate((el: HTMLInputElement) => el.type)).toBe('email');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
    await hydrated(page);
    expect((await context.cookies()).some((c) => c.name === 'roster_session')).toBe(true);
  });

  it('admin users hydrates and lists the owner', async () => {
    await visit('/admin/users');
    await expect(page.getByText(OWNER.email).first().isVisible()).resolves.toBe(true);
    await snap(page, 'csp-admin-users');
  });

  it('files hydrates and uploads through the page (connect-src self)', async () => {
    await visit('/files');
    await page.locator('input[type=file]').setInputFiles({ name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('hello under CSP') });
    await page.locator('[data-testid=upload-item][data-status=done]').waitFor();
    await page.getByRole('link', { name: 'hello.txt' }).first().waitFor();
    await snap(page, 'csp-files');
  });

  it('settings shows the default quota, saves a new one, and clears it back to unlimited', async () => {
    await visit('/admin/settings');
    const quota = page.getByLabel('Default quota for new accounts (GiB)');
    expect(await quota.inputValue()).toBe('');
    expect(await quota.getAttribute('placeholder')).toBe('Unlimited');
    await quota.fill('2.5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').first().waitFor();
    expect(await query('admin.settings.get')).toMatchObject({ defaultQuotaGiB: 2.5 });
    await page.reload();
    await hydrated(page);
    expect(await page.getByLabel('Default quota for new accounts (GiB)').inputValue()).toBe('2.5');
    // The viewport, scrolled to the field: a full-page shot draws the sticky header over it.
    await page.getByRole('heading', { name: 'Settings' }).first().evaluate(() => document.querySelector('input[name=defaultQuotaGiB]')!.scrollIntoView({ block: 'center' }));
    fs.mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotDir, 'csp-settings-default-quota.png') });

    await page.getByLabel('Default quota for new accounts (GiB)').fill('-1');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Cannot be negative').waitFor();
    await page.getByLabel('Default quota for new accounts (GiB)').fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved').first().waitFor();
    expect(await query('admin.settings.get')).toMatchObject({ defaultQuotaGiB: null });
  });

  it('reported no CSP violation on any of these pages', () => {
    expect(violations).toEqual([]);
  });

  it('(the watch works: an injected inline script is refused and reported)', async () => {
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.injected = true';
      document.body.append(s);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(violations.join('\n')).toMatch(/script-src/);
    expect(await page.evaluate(() => (window as { injected?: boolean }).injected)).toBeUndefined();
  });
});
