import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { startOwnRedis } from '../../support/worker.ts';
import { hydrated, launchBrowser, newContext, snap, trpc } from '../../support/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
// Plaintext passwords make the job take a few batches, so the progress bar is seen moving.
const ROWS = 150;
const CSV =
  'Name,Email,Password,Role\r\n' +
  Array.from({ length: ROWS }, (_, i) => `Person ${i},person${i}@example.com,password-number-${i},user`).join('\r\n') +
  '\r\nBad Row,not-an-email,password-bad-1,user\r\nDup,PERSON0@example.com,password-dup-1,user\r\n';

vi.setConfig({ testTimeout: 300_000 });

let app: RunningApp;
let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let browser: Browser;
let context: BrowserContext;

describe('CSV import in a browser', () => {
  beforeAll(async () => {
    redis = await startOwnRedis();
    [app, browser] = await Promise.all([startApp({ worker: true, env: { REDIS_URL: redis.url } }), launchBrowser()]);
    context = await newContext(browser, app.baseUrl);
    await trpc(context.request, 'setup.createOwner', OWNER);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
    await redis?.stop();
  });

  it('imports from the users list: progress while it runs, then counts, the refused rows and a CSV report', async () => {
    const p: Page = await context.newPage();
    await p.goto('/admin/users');
    await p.getByRole('link', { name: 'Import CSV' }).click();
    await p.waitForURL('**/admin/users/import');
    await hydrated(p);
    await p.getByLabel('CSV file').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await p.getByLabel('Dry run').uncheck();
    await snap(p, 'users-import-form');
    await p.getByRole('button', { name: 'Import' }).click();
    const bar = p.getByRole('progressbar', { name: 'Import progress' });
    await bar.waitFor();
    await p.getByText(/\d+ of 152 rows/).waitFor({ timeout: 120_000 });
    await snap(p, 'users-import-progress');
    const report = p.getByRole('region', { name: 'Import report' });
    await report.waitFor({ timeout: 180_000 });
    await expect(report.getByText('Imported', { exact: true }).locator('..').getByRole('definition').textContent()).resolves.toBe(String(ROWS));
    await expect(report.getByRole('row', { name: /not-an-email.*invalid.*INVALID_EMAIL/ }).count()).resolves.toBe(1);
    await expect(report.getByRole('row', { name: /person0@example.com.*skipped.*DUPLICATE_EMAIL/ }).count()).resolves.toBe(1);
    await snap(p, 'users-import-report');
    const [download] = await Promise.all([p.waitForEvent('download'), report.getByRole('link', { name: 'Download report (CSV)' }).click()]);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toBe('row,email,status,code,message');
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(ROWS + 3);
    expect(text).toMatch(/\r\n153,person0@example.com,skipped,DUPLICATE_EMAIL,/);
  });
});
