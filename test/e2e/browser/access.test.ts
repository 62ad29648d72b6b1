import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { PHONE, hydrated, launchBrowser, newContext, snap, trpc } from '../../support/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
const MEMBER = { name: 'Grace Hopper', email: 'grace@example.com', password: 'cobol-compiler-1959' };

let app: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function open(opts: BrowserContextOptions = {}): Promise<Page> {
  const ctx = await newContext(browser, app.baseUrl, opts);
  contexts.push(ctx);
  return ctx.newPage();
}

async function signIn(p: Page, who: { email: string; password: string }) {
  await p.getByLabel('Email').fill(who.email);
  await p.getByLabel('Password').fill(who.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

// Who gets which page: the guards of the admin shell, the member's page, redirects, and forms without JavaScript.
describe('access in a browser', () => {
  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    // The owner and a member (with an admin-set password to replace), made over HTTP as the CLI would.
    const admin = (await open()).request;
    await trpc(admin, 'setup.createOwner', OWNER);
    await trpc(admin, 'admin.users.create', { ...MEMBER, role: 'user', mustChangePassword: true });
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await app?.stop();
  });

  it('sends a member to their own page, where they replace the password an admin set', async () => {
    const p = await open();
    await p.goto('/admin/users');
    await p.waitForURL('**/signin?redirectTo=%2Fadmin%2Fusers');
    await hydrated(p);
    await signIn(p, MEMBER);
    // A required password change comes first, whatever page they asked for.
    await p.waitForURL('**/change-password');
    await p.getByRole('heading', { name: 'Choose a new password' }).waitFor();

    await hydrated(p);
    await p.getByLabel('Current password').fill(MEMBER.password);
    await p.getByLabel('New password', { exact: true }).fill('short');
    await p.getByLabel('Confirm new password').fill('short');
    await p.getByRole('button', { name: 'Change password' }).click();
    await p.getByText('At least 8 characters', { exact: true }).waitFor();
    await snap(p, 'member-change-password-light-desktop');

    MEMBER.password = 'grace-hopper-new-1906';
    await p.getByLabel('New password', { exact: true }).fill(MEMBER.password);
    await p.getByLabel('Confirm new password').fill(MEMBER.password);
    await p.getByRole('button', { name: 'Change password' }).click();
    await p.getByLabel('Current password').waitFor({ state: 'detached' });
    await p.goto('/admin/settings');
    await p.getByRole('heading', { name: 'Your account' }).waitFor();
  });

  it('shows the member page on a phone in the dark', async () => {
    const p = await open({ ...PHONE, colorScheme: 'dark' });
    await p.goto('/signin');
    await hydrated(p);
    await signIn(p, MEMBER);
    await p.getByRole('heading', { name: 'Your account' }).waitFor();
    await snap(p, 'member-dark-phone');
  });

  it('never follows a redirect to another site after sign-in', async () => {
    const p = await open();
    await p.goto('/signin?redirectTo=https%3A%2F%2Fevil.example%2F');
    await hydrated(p);
    await signIn(p, OWNER);
    await p.waitForURL('**/admin/users');
    expect(new URL(p.url()).host).toBe(new URL(app.baseUrl).host);
  });

  it('signs in and shows a guarded page without JavaScript', async () => {
    const p = await open({ javaScriptEnabled: false });
    await p.goto('/admin/settings');
    await p.waitForURL('**/signin?redirectTo=%2Fadmin%2Fsettings');
    await signIn(p, OWNER);
    await p.waitForURL('**/admin/settings');
    await p.getByRole('heading', { name: 'Settings' }).waitFor();
    expect(await p.getByText(OWNER.email).first().isVisible()).toBe(true);
    // The search form falls back to a plain GET submission.
    await p.goto('/admin/users');
    await p.getByLabel('Search users').fill('ada');
    await p.getByRole('button', { name: 'Search' }).click();
    await p.waitForURL((url) => url.searchParams.get('q') === 'ada');
    await p.getByTestId('user-row').filter({ hasText: OWNER.email }).waitFor();
  });
});
