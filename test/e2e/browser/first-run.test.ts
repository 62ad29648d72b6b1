import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { DESKTOP, PHONE, hydrated, launchBrowser, newContext, snap, trpc } from '../../support/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

/** Every page is looked at in both colour schemes, on a desktop and on a 390 px phone. */
const VARIANTS: { name: string; opts: BrowserContextOptions }[] = [
  { name: 'light-desktop', opts: { ...DESKTOP, colorScheme: 'light' } },
  { name: 'dark-desktop', opts: { ...DESKTOP, colorScheme: 'dark' } },
  { name: 'light-phone', opts: { ...PHONE, colorScheme: 'light' } },
  { name: 'dark-phone', opts: { ...PHONE, colorScheme: 'dark' } },
];

let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;

/** Relative luminance (0 black … 1 white) of a CSS `rgb(…)` colour. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((c) => Number(c) / 255);
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/**
 * One context per variant, visiting each page in turn: contexts are the slow
 * part. Each shot must show what it claims: the page's own heading, the
 * colour scheme asked for (a dark page behind dark, a light one behind
 * light), nothing wider than the screen, and a picture of the viewport's width.
 */
async function screenshots(pages: [name: string, path: string, heading: string][], storageState?: BrowserContextOptions['storageState']) {
  for (const v of VARIANTS) {
    const ctx = await newContext(browser, app.baseUrl, { ...v.opts, storageState });
    const p = await ctx.newPage();
    for (const [name, path, heading] of pages) {
      await p.goto(path);
      await hydrated(p);
      const what = `${name}-${v.name}`;
      await p.getByRole('heading', { name: heading }).first().waitFor();
      const page = await p.evaluate(() => ({
        background: getComputedStyle(document.body).backgroundColor,
        color: getComputedStyle(document.body).color,
        overflow: document.documentElement.scrollWidth - window.innerWidth,
      }));
      const dark = v.opts.colorScheme === 'dark';
      expect(luminance(page.background), `${what} background ${page.background}`)[dark ? 'toBeLessThan' : 'toBeGreaterThan'](0.5);
      expect(luminance(page.color), `${what} text ${page.color}`)[dark ? 'toBeGreaterThan' : 'toBeLessThan'](0.5);
      expect(page.overflow, `${what} scrolls sideways`).toBeLessThanOrEqual(0);
      const png = fs.readFileSync(await snap(p, what));
      const width = png.readUInt32BE(16); // the IHDR chunk's width
      expect(width, `${what} screenshot width`).toBe(v.opts.viewport!.width * (v.opts.deviceScaleFactor ?? 1));
    }
    await ctx.close();
  }
}

async function signIn(p: Page, password: string) {
  await p.getByLabel('Email').fill(OWNER.email);
  await p.getByLabel('Password').fill(password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

const sessionCookie = async () => (await context.cookies()).find((c) => c.name === 'roster_session');

// One story, told in order: each step starts where the previous one left the instance.
describe('first run in a browser', () => {
  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    context = await newContext(browser, app.baseUrl);
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('sends the first visitor to setup', async () => {
    await page.goto('/');
    await page.waitForURL('**/setup');
    await page.getByRole('heading', { name: 'Getting started' }).waitFor();
    await screenshots([['setup', '/setup', 'Getting started']]);
  }, 60_000);

  it('shows the server’s field errors inline', async () => {
    await hydrated(page);
    await page.getByLabel('Name').fill(OWNER.name);
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Confirm password').fill('short');
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await page.getByText('Enter a valid email address').waitFor();
    await page.getByText('At least 8 characters', { exact: true }).waitFor();
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Name').inputValue()).toBe(OWNER.name);
    await snap(page, 'setup-errors-light-desktop');
  });

  it('creates the owner and lands on the users table, signed in', async () => {
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByLabel('Confirm password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await page.waitForURL('**/admin/users');
    const row = page.getByTestId('user-row').filter({ hasText: OWNER.email });
    await row.waitFor();
    expect(await row.innerText()).toContain('Owner');
    expect(await page.getByTestId('current-user').innerText()).toContain(OWNER.name);
  });

  it('keeps the session in an HttpOnly, SameSite=Lax cookie', async () => {
    const cookie = await sessionCookie();
    expect(cookie?.value).toBeTruthy();
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect(cookie?.secure).toBe(false); // served over plain http here
  });

  it('filters the table as you type and keeps the filter in the URL', async () => {
    await hydrated(page);
    const search = page.getByLabel('Search users');
    await search.fill('nobody-like-this');
    await page.waitForURL((url) => url.searchParams.get('q') === 'nobody-like-this');
    await page.getByText('No users match').waitFor();
    await search.fill('lovelace');
    await page.waitForURL((url) => url.searchParams.get('q') === 'lovelace');
    await page.getByTestId('user-row').filter({ hasText: OWNER.email }).waitFor();
    expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('renders the admin pages in light and dark, desktop and phone', async () => {
    // A few more people, so the table shows its roles, statuses and quota bars.
    await trpc(page.request, 'admin.users.create', { name: 'Grace Hopper', email: 'grace@example.com', quotaGiB: 10, generatePassword: true });
    await trpc(page.request, 'admin.users.create', { name: 'Alan Turing', email: 'alan@example.com', role: 'admin', generatePassword: true });
    const { user } = await trpc(page.request, 'admin.users.create', { name: 'Charles Babbage', email: 'charles@example.com', generatePassword: true });
    await trpc(page.request, 'admin.users.suspend', { id: user.id, reason: 'Left the project' });
    // The table shows what the shots are for: every role and status.
    await page.goto('/admin/users');
    await hydrated(page);
    const rows = page.getByTestId('user-row');
    await rows.filter({ hasText: 'charles@example.com' }).waitFor();
    expect(await rows.count()).toBe(4);
    expect(await rows.filter({ hasText: 'alan@example.com' }).innerText()).toContain('Admin');
    expect(await rows.filter({ hasText: 'charles@example.com' }).innerText()).toContain('Suspended');
    expect(await rows.filter({ hasText: 'grace@example.com' }).innerText()).toMatch(/10(\.0)? GiB|10 GB/);
    const state = await context.storageState();
    await screenshots(
      [
        ['users', '/admin/users', 'Users'],
        ['users-empty', '/admin/users?q=nobody', 'Users'],
        ['settings', '/admin/settings', 'Settings'],
      ],
      state,
    );
  }, 120_000);

  it('signs out, refuses a wrong password, and signs back in', async () => {
    await page.goto('/admin/users');
    await hydrated(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/signin');
    expect((await sessionCookie())?.value ?? '').toBe('');

    await hydrated(page);
    await signIn(page, 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('Email or password is incorrect');
    await snap(page, 'signin-error-light-desktop');

    await signIn(page, OWNER.password);
    await page.waitForURL('**/admin/users');
    await page.getByTestId('user-row').filter({ hasText: OWNER.email }).waitFor();
    await screenshots([['signin', '/signin', 'Sign in']]);
  }, 60_000);
});
