import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { hydrated, launchBrowser, newContext, snap, trpc } from '../../support/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
const MEMBER = { name: 'Grace Hopper', email: 'grace@example.com', password: 'cobol-compiler-1959' };

vi.setConfig({ testTimeout: 120_000 });

let app: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function open(): Promise<Page> {
  const ctx = await newContext(browser, app.baseUrl);
  contexts.push(ctx);
  return ctx.newPage();
}

/** A request with the key as Bearer, as a service sends it. */
const withKey = (secret: string, path: string) =>
  fetch(`${app.baseUrl}/api/trpc/${path}`, { headers: { authorization: `Bearer ${secret}` } }).then(async (r) => ({ status: r.status, body: await r.json() }));

// Issue 13: a user creates an API key on their profile, copies the one-time secret, sees it listed, revokes it; an admin sees and revokes keys on the user's page.
describe('API keys in a browser', () => {
  let owner: Page;
  let member: Page;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    owner = await open();
    await trpc(owner.request, 'setup.createOwner', OWNER);
    await trpc(owner.request, 'admin.users.create', { ...MEMBER, role: 'user', mustChangePassword: false });
    member = await open();
    await trpc(member.request, 'auth.signIn', { email: MEMBER.email, password: MEMBER.password });
  });
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await app?.stop();
  });

  it('creates a key on the profile: only the scopes the user holds, the secret once with a copy button, then listed and revocable', async () => {
    await member.goto('/profile');
    await hydrated(member);
    await member.getByText('No API keys.').waitFor();
    // A plain user holds `me` only: no admin scope is offered.
    await expect(member.getByRole('checkbox').count()).resolves.toBe(1);
    await member.getByLabel('Key name').fill('laptop script');
    await member.getByLabel('Your own profile, settings, files and groups').check();
    await member.getByRole('button', { name: 'Create key' }).click();
    const secret = member.getByTestId('secret');
    await secret.waitFor();
    const value = await secret.inputValue();
    expect(value).toMatch(/^rst_[A-Za-z0-9]{40}$/);
    await member.getByRole('button', { name: /copy/i }).waitFor();
    await member.getByText('Copy it now: the key is shown only once.').waitFor();
    await snap(member, 'api-keys-profile-secret');

    const row = member.getByTestId('api-key').filter({ hasText: 'laptop script' });
    await expect(row.textContent()).resolves.toContain(`${value.slice(0, 12)}…`);
    await expect(row.textContent()).resolves.toMatch(/never used\s*·\s*expires in/);
    expect((await withKey(value, 'me.get')).status).toBe(200);
    expect((await withKey(value, 'admin.users.list')).status).toBe(403);

    await member.getByRole('button', { name: 'Done' }).click();
    await member.getByRole('button', { name: 'Revoke API key laptop script' }).click();
    await member.getByText('No API keys.').waitFor();
    expect((await withKey(value, 'me.get')).status).toBe(401);
  });

  it("shows a user's keys on the admin's user page, where the owner revokes one", async () => {
    const key = await trpc(member.request, 'me.apiKeys.create', { name: 'nightly sync', scopes: ['me'] });
    await owner.goto('/admin/users');
    await hydrated(owner);
    await owner.getByRole('link', { name: MEMBER.name }).first().click();
    await owner.getByRole('heading', { name: 'API keys' }).waitFor();
    const row = owner.getByTestId('api-key').filter({ hasText: 'nightly sync' });
    await row.waitFor();
    await snap(owner, 'api-keys-admin-user');
    await row.getByRole('button', { name: 'Revoke API key nightly sync' }).click();
    await owner.getByText('No API keys.').waitFor();
    expect((await withKey(key.secret, 'me.get')).status).toBe(401);
  });
});
