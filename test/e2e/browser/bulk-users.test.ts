/** The users list's bulk actions (select, preview, confirm, watch the job, see statuses change) and its Export CSV button following the filters. */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { insertManyUsers } from '../../support/database.ts';
import { startApp, type RunningApp } from '../../support/server.ts';
import { startOwnRedis } from '../../support/worker.ts';
import { hydrated, launchBrowser, newContext, snap, trpc } from '../../support/browser.ts';

vi.setConfig({ testTimeout: 90_000 });

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

let app: RunningApp;
let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  redis = await startOwnRedis();
  [app, browser] = await Promise.all([startApp({ worker: true, env: { REDIS_URL: redis.url } }), launchBrowser()]);
  page = await (await newContext(browser, app.baseUrl, { acceptDownloads: true })).newPage();
  await trpc(page.request, 'setup.createOwner', OWNER);
  await insertManyUsers(app.databaseUrl, 30, { prefix: 'Team Mate' });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await redis?.stop();
});

const rows = () => page.getByTestId('user-row');
/** The progress toast's summary once the job ends (a loaded machine can take a while to run it). */
async function summary(): Promise<string> {
  await page.getByTestId('bulk-summary').waitFor({ timeout: 60_000 });
  return page.getByTestId('bulk-summary').innerText();
}
const dialog = () => page.getByRole('dialog');

describe('bulk actions on the users list', () => {
  it('suspends the selected rows: preview with counts, confirm, progress toast, statuses change', async () => {
    await page.goto('/admin/users?q=team+mate+000');
    await hydrated(page);
    await expect.poll(() => rows().count()).toBe(9);
    for (const n of ['0001', '0002', '0003']) await page.getByRole('checkbox', { name: `Select Team Mate ${n}` }).check();
    await expect.poll(() => page.getByTestId('bulk-count').innerText()).toMatch(/^3 selected/);
    await page.getByLabel('Reason').fill('bulk test');
    await page.getByRole('button', { name: 'Preview…' }).click();
    await expect.poll(() => dialog().getByTestId('bulk-preview-counts').innerText()).toMatch(/^3 users selected: 3 will change, 0 refused\./);
    await snap(page, 'bulk-preview');
    await dialog().getByRole('button', { name: 'Suspend 3 users' }).click();
    expect(await summary()).toBe('3 done, 0 skipped, 0 failed');
    await snap(page, 'bulk-done');
    // The list reloads once the job ends: the three rows say Suspended, the others Active.
    const statuses = async () => (await rows().locator('td.status').allInnerTexts()).map((s) => s.trim());
    await expect.poll(statuses).toEqual([...Array(3).fill('Suspended'), ...Array(6).fill('Active')]);
  });

  it('selects every matching user across pages and refuses the owner in the preview with the reason', async () => {
    await page.goto('/admin/users');
    await hydrated(page);
    await page.getByRole('checkbox', { name: 'Select every user on this page' }).check();
    await page.getByRole('button', { name: 'Select all 31 matching' }).click();
    await expect.poll(() => page.getByTestId('bulk-count').innerText()).toMatch(/^All 31 matching users selected/);
    await page.getByLabel('Reason').fill('everyone');
    await page.getByRole('button', { name: 'Preview…' }).click();
    await expect.poll(() => dialog().getByTestId('bulk-preview-counts').innerText()).toMatch(/^31 users selected: 30 will change, 1 refused\./);
    await expect.poll(() => dialog().getByTestId('bulk-refused').innerText()).toBe(`${OWNER.email}\tYou cannot do that to your own account`);
    await snap(page, 'bulk-preview-refused');
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog().isVisible()).toBe(false);
  });

  it('deletes two users in bulk, then restores them from the Deleted tab, where Restore is the action offered', async () => {
    await page.goto('/admin/users?q=team+mate+002');
    await hydrated(page);
    for (const n of ['0020', '0021']) await page.getByRole('checkbox', { name: `Select Team Mate ${n}` }).check();
    await page.getByLabel('Action', { exact: true }).selectOption('delete');
    await page.getByRole('button', { name: 'Preview…' }).click();
    await dialog().getByRole('button', { name: 'Delete 2 users' }).click();
    expect(await summary()).toBe('2 done, 0 skipped, 0 failed');
    await page.getByRole('button', { name: 'Dismiss' }).click();

    await page.goto('/admin/users?status=deleted');
    await hydrated(page);
    await expect.poll(() => page.getByTestId('deleted-row').count()).toBe(2);
    await page.getByRole('checkbox', { name: 'Select every user on this page' }).check();
    expect(await page.getByLabel('Action', { exact: true }).inputValue()).toBe('restore');
    await snap(page, 'bulk-bar-deleted');
    await page.getByRole('button', { name: 'Preview…' }).click();
    await dialog().getByRole('button', { name: 'Restore 2 users' }).click();
    expect(await summary()).toBe('2 done, 0 skipped, 0 failed');
    await expect.poll(() => page.getByTestId('deleted-row').count()).toBe(0);
  });

  it('Export CSV follows the list’s filters', async () => {
    await page.goto('/admin/users?status=suspended&sort=email');
    await hydrated(page);
    const button = page.getByTestId('export-csv');
    expect(await button.getAttribute('href')).toBe('/api/users/export?status=suspended&sort=email');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^roster-users-\d{8}-\d{6}\.csv$/);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    const emails = csv.trim().split('\r\n').slice(1).map((l) => l.split(',')[2]);
    expect(emails).toEqual(['teammate0001@many.test', 'teammate0002@many.test', 'teammate0003@many.test']);
  });
});
