/** The users page past EXACT_TOTAL_LIMIT matches: the total is the server's estimate, shown as "about N", and paging still works. */
import { EXACT_TOTAL_LIMIT } from '@roster/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { insertManyUsers } from '../../support/database.ts';
import { startApp, type RunningApp } from '../../support/server.ts';
import { launchBrowser, newContext, snap, trpc } from '../../support/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

let app: RunningApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  page = await (await newContext(browser, app.baseUrl)).newPage();
  // Creating the owner signs the page's context in.
  await trpc(page.request, 'setup.createOwner', OWNER);
  await insertManyUsers(app.databaseUrl, 1200, { prefix: 'Bulk User' });
  await insertManyUsers(app.databaseUrl, EXACT_TOTAL_LIMIT + 100, { prefix: 'Waiting User', role: 'pending' });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const summary = () => page.getByTestId('pagination-summary').innerText();
const pager = () => page.getByRole('navigation', { name: 'Pagination' });

describe('users page with an estimated total', () => {
  it('says "about N users" and pages on while pages come back full', async () => {
    await page.goto('/admin/users');
    expect(await summary()).toMatch(/^1–25 of about \d{1,2},\d00 users$/);
    await expect.poll(() => pager().getByText(/^Page 1 of about \d+$/).count()).toBe(1);
    await expect.poll(() => page.getByText(/^About [\d,]+ accounts are waiting for approval\./).count()).toBe(1);
    const badge = page.getByRole('link', { name: /Pending approval/ }).locator('.count');
    expect(await badge.innerText()).toMatch(/^\d\.\dK/);
    expect(await badge.getAttribute('title')).toMatch(/^about \d,\d00$/);
    await snap(page, 'users-estimated-total');
    await page.setViewportSize({ width: 390, height: 844 });
    await snap(page, 'users-estimated-total-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    await pager().getByRole('link', { name: 'Next →' }).click();
    await page.waitForURL('**/admin/users?page=2');
    expect(await summary()).toMatch(/^26–50 of about [\d,]+ users$/);
    expect(await page.getByTestId('user-row').count()).toBe(25);
  });

  it('shows a page past the estimate without redirecting, and says when it is past the end', async () => {
    await page.goto('/admin/users?page=9999');
    expect(new URL(page.url()).searchParams.get('page')).toBe('9999');
    await page.getByText('Past the end of the list').waitFor();
    expect(await summary()).toMatch(/^about [\d,]+ users$/);
    expect(await pager().getByText('Next →').getAttribute('aria-disabled')).toBe('true');
    expect(await pager().getByRole('link', { name: '← Previous' }).count()).toBe(1);
  });

  it('keeps a small result exact', async () => {
    await page.goto('/admin/users?q=bulk+user+011');
    expect(await summary()).toBe('1–10 of 10 users');
    await page.goto(`/admin/users?q=${encodeURIComponent(OWNER.email)}`);
    expect(await summary()).toBe('1–1 of 1 user');
  });

  it('the settings page counts users the same way', async () => {
    await page.goto('/admin/settings');
    expect(await page.locator('dt:text-is("Users") + dd').innerText()).toMatch(/^about \d{1,2},\d00 active or suspended$/);
  });
});
