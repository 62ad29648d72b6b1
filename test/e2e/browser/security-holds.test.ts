import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { hydrated, launchBrowser, newContext, snap, trpc } from '../../support/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
const MEMBER = { name: 'Grace Hopper', email: 'grace@example.com', password: 'cobol-compiler-1959' };

// Eleven sign-ins through the form, each an Argon2 check: slow on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

let app: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function open(): Promise<Page> {
  const ctx = await newContext(browser, app.baseUrl);
  contexts.push(ctx);
  return ctx.newPage();
}

async function signIn(p: Page, who: { email: string; password: string }) {
  await p.getByLabel('Email').fill(who.email);
  await p.getByLabel('Password').fill(who.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
}

// Issue 9: the sign-in form says how long a held account waits; admins see held accounts and release them.
describe('held sign-ins in a browser', () => {
  let owner: Page;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    owner = await open();
    await trpc(owner.request, 'setup.createOwner', OWNER);
    await trpc(owner.request, 'admin.users.create', { ...MEMBER, role: 'user', mustChangePassword: false });
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await app?.stop();
  });

  it('shows a held member the wait on the sign-in form, even with the right password', async () => {
    const p = await open();
    await p.goto('/signin');
    await hydrated(p);
    for (let i = 0; i < 10; i++) {
      await signIn(p, { email: MEMBER.email, password: `wrong-${i}` });
      await p.getByText('Email or password is incorrect').waitFor();
    }
    await signIn(p, MEMBER);
    await p.getByText(/Too many attempts; try again in 1[45] minutes/).waitFor();
    expect(new URL(p.url()).pathname).toBe('/signin');
    await snap(p, 'security-signin-held');
  });

  it('lists the held account on the admin settings page, where the owner releases it', async () => {
    await owner.goto('/admin/settings');
    await hydrated(owner);
    const table = owner.getByTestId('holds');
    await table.waitFor();
    const row = table.getByRole('row', { name: /grace@example\.com/ });
    await expect(row.getByRole('link', { name: 'Grace Hopper' }).getAttribute('href')).resolves.toMatch(/^\/admin\/users\/[0-9a-f-]{36}$/);
    await expect(row.locator('time').textContent()).resolves.toMatch(/in 1[45] minutes/);
    await expect(owner.getByLabel('Failed sign-ins before an account is held').inputValue()).resolves.toBe('10');
    await snap(owner, 'security-admin-holds');

    await row.getByRole('button', { name: 'Release grace@example.com' }).click();
    await owner.getByTestId('no-holds').waitFor();

    const p = await open();
    await p.goto('/signin');
    await hydrated(p);
    await signIn(p, MEMBER);
    await p.waitForURL((u) => u.pathname !== '/signin');
  });
});
