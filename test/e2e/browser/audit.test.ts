import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { DESKTOP, hydrated, launchBrowser, newContext, snap, trpc } from '../../support/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

vi.setConfig({ testTimeout: 120_000 });

let app: RunningApp;
let browser: Browser;
let page: Page;
let grace: { id: string };

const rows = () => page.getByTestId('audit-row');

// Issue 12: admins read the audit log, filter it through the URL, and verify its hash chain.
describe('the audit page', () => {
  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    page = await (await newContext(browser, app.baseUrl, DESKTOP)).newPage();
    await trpc(page.request, 'setup.createOwner', OWNER);
    ({ user: grace } = await trpc(page.request, 'admin.users.create', { name: 'Grace Hopper', email: 'grace@example.com', password: 'cobol-compiler-1959', role: 'user', mustChangePassword: false }));
    await trpc(page.request, 'admin.users.update', { id: grace.id, name: 'Grace B. Hopper', email: 'amazing.grace@example.com' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('lists events newest first with the diff readable, and is in the navigation', async () => {
    await page.goto('/admin/users');
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Audit', exact: true }).click();
    await page.waitForURL('**/admin/audit');
    await expect.poll(() => rows().count()).toBe(3);
    const first = rows().first();
    expect(await first.innerText()).toMatch(/user\.update\s+Ada Lovelace\s+ada@example\.com\s+Grace B\. Hopper\s+amazing\.grace@example\.com/);
    expect(await first.locator('del').allInnerTexts()).toEqual(['Grace Hopper', 'grace@example.com']);
    expect(await first.locator('ins').allInnerTexts()).toEqual(['Grace B. Hopper', 'amazing.grace@example.com']);
    await snap(page, 'audit-list');
  });

  it("a user's page links to their history; filters live in the URL", async () => {
    await page.goto(`/admin/users/${grace.id}`);
    await page.getByRole('link', { name: 'Audit history' }).click();
    await page.waitForURL(`**/admin/audit?targetId=${grace.id}`);
    expect(await rows().locator('.action').allInnerTexts()).toEqual(['user.update', 'user.create']);
    await page.getByLabel('Action').fill('user.create');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((u) => u.searchParams.get('action') === 'user.create' && u.searchParams.get('targetId') === grace.id);
    expect(await rows().locator('.action').allInnerTexts()).toEqual(['user.create']);
    // An email in the actor box becomes the actor's id in the URL.
    await page.goto('/admin/audit');
    await page.getByLabel('Actor').fill('amazing.grace@example.com');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((u) => u.searchParams.get('actorId') === grace.id);
    await page.getByText('No events match').waitFor();
    await page.goto('/admin/audit?from=2100-01-01');
    await page.getByText('No events match').waitFor();
  });

  it('verifies the chain, and names an edited event', async () => {
    await page.goto('/admin/audit');
    await hydrated(page);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.getByTestId('verify-result').innerText()).toMatch(/The log is intact: 3 events verified/);
    await snap(page, 'audit-verify-ok');
    const db = new pg.Client({ connectionString: app.databaseUrl });
    await db.connect();
    const { rows: [e] } = await db.query(`update audit_log set details = '{}' where action = 'user.create' returning id::text as id`);
    await db.end();
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.getByTestId('verify-result').innerText()).toContain(`Tampering found: event ${e.id} was edited`);
    await snap(page, 'audit-verify-tampered');
  });
});
