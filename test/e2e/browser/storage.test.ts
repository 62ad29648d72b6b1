import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { startOwnRedis } from '../../support/worker.ts';
import { hydrated, launchBrowser, snap, trpc, Pages, shots, signIn } from '../../support/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
const MEMBER = { name: 'Grace Hopper', email: 'grace@example.com', password: 'cobol-compiler-1959' };
// 0.0001 GiB = 107,374 bytes: the first file takes it past 80 %, the second would overflow it.
const QUOTA_GIB = 0.0001;
const NOTES = randomBytes(90_000);
const TOO_BIG = randomBytes(30_000);

let app: RunningApp;
let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let browser: Browser;
let pages: Pages;

const nav = (p: Page, name: string) => p.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name });
const meter = (p: Page) => p.getByTestId('files-usage').getByRole('meter');

describe('storage in a browser', () => {
  beforeAll(async () => {
    redis = await startOwnRedis();
    [app, browser] = await Promise.all([startApp({ worker: true, env: { REDIS_URL: redis.url } }), launchBrowser()]);
    pages = new Pages(browser, app.baseUrl);
    const admin = (await pages.open()).request;
    await trpc(admin, 'setup.createOwner', OWNER);
    await trpc(admin, 'admin.users.create', { ...MEMBER, role: 'user', quotaGiB: QUOTA_GIB, mustChangePassword: false });
  });

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await app?.stop();
    await redis?.stop();
  });

  it('lets a member upload, download and delete files within their quota', async () => {
    const p = await pages.open();
    await signIn(p, MEMBER);
    await p.getByRole('link', { name: 'Your files' }).click();
    await p.waitForURL('**/files');
    await hydrated(p);
    expect(await meter(p).getAttribute('aria-valuenow')).toBe('0');

    // A slow uplink (DevTools throttling) so the progress bar is seen between 0 and 100 %.
    const cdp = await p.context().newCDPSession(p);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 40_000 });
    await p.locator('input[type=file]').setInputFiles({ name: 'notes.bin', mimeType: 'application/octet-stream', buffer: NOTES });
    const item = p.getByTestId('upload-item').filter({ hasText: 'notes.bin' });
    await p.waitForFunction(() => {
      const v = Number(document.querySelector('[data-testid=upload-item] progress')?.getAttribute('value'));
      return v > 0 && v < 100;
    });
    await item.and(p.locator('[data-status=done]')).waitFor();
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    // Listed, the bar moved into the warning band, and the header says so.
    const row = p.getByTestId('file-row').filter({ hasText: 'notes.bin' });
    await row.waitFor();
    await p.waitForFunction(() => document.querySelector('[data-testid=files-usage] [role=meter]')?.getAttribute('aria-valuenow') === '84');
    expect(await p.getByTestId('files-usage').locator('[data-level]').getAttribute('data-level')).toBe('warn');
    await expect.poll(() => p.getByTestId('quota-warning').textContent()).toContain('You have used 83 % of your storage');

    const [download] = await Promise.all([p.waitForEvent('download'), row.getByRole('link', { name: 'notes.bin' }).click()]);
    expect(download.suggestedFilename()).toBe('notes.bin');
    expect(fs.readFileSync((await download.path())!).equals(NOTES)).toBe(true);

    // Over the quota: the server's message, and nothing listed for it.
    await p.locator('input[type=file]').setInputFiles({ name: 'too-big.bin', mimeType: 'application/octet-stream', buffer: TOO_BIG });
    const refused = p.getByTestId('upload-item').filter({ hasText: 'too-big.bin' });
    await refused.and(p.locator('[data-status=error]')).waitFor();
    expect(await refused.getByRole('alert').textContent()).toContain('This upload would exceed the storage quota');
    await p.reload();
    await hydrated(p);
    expect(await p.getByTestId('file-row').count()).toBe(1);
    await shots(p, 'files');

    // Delete behind a confirm dialog: a small file comes and goes, giving its bytes back.
    await p.locator('input[type=file]').setInputFiles({ name: 'scratch.txt', mimeType: 'text/plain', buffer: Buffer.from('scratch') });
    const scratch = p.getByTestId('file-row').filter({ hasText: 'scratch.txt' });
    await scratch.waitFor();
    await scratch.getByRole('button', { name: 'Delete scratch.txt' }).click();
    const dialog = p.getByRole('dialog', { name: 'Delete this file?' });
    await dialog.waitFor();
    await snap(p, 'files-delete-dialog-light-desktop');
    await dialog.getByRole('button', { name: 'Delete file' }).click();
    await scratch.waitFor({ state: 'detached' });
    expect(await p.getByTestId('toast').textContent()).toContain('File deleted, 7 B freed');

    await p.getByTestId('quota-warning').getByRole('button', { name: 'Dismiss' }).click();
    await p.getByTestId('quota-warning').waitFor({ state: 'detached' });
  });

  it('lists and confirms deletes without JavaScript', async () => {
    const p = await pages.open({ javaScriptEnabled: false });
    await p.goto('/signin');
    await p.getByLabel('Email').fill(MEMBER.email);
    await p.getByLabel('Password').fill(MEMBER.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL((u) => u.pathname === '/');
    await p.goto('/files');
    const row = p.getByTestId('file-row').filter({ hasText: 'notes.bin' });
    await row.getByRole('button', { name: 'Delete notes.bin' }).click();
    await p.getByRole('region', { name: 'Delete this file?' }).waitFor();
    await p.getByRole('link', { name: 'Cancel' }).click();
    await row.waitFor();
  });

  it('shows the figures to an admin and runs the storage migration job', async () => {
    const p = await pages.open();
    await signIn(p, OWNER);
    await p.waitForURL('**/admin/users');
    await nav(p, 'Storage').click();
    await p.waitForURL('**/admin/stats');
    await hydrated(p);
    const totals = p.getByTestId('stats-totals');
    expect(await totals.textContent()).toMatch(/Users\s*2.*Files\s*1.*Storage used\s*88 KB/s);
    const grace = p.getByTestId('stats-row').filter({ hasText: MEMBER.email });
    expect(await grace.textContent()).toContain('83 %');
    // Sorted by usage: Grace's 88 KB comes before the owner's nothing.
    expect(await p.getByTestId('stats-row').first().textContent()).toContain(MEMBER.email);
    expect(await p.getByTestId('admin-quota-warning').first().textContent()).toMatch(/Grace Hopper\s*passed 80 %/);
    await shots(p, 'admin-stats');

    await grace.getByRole('link', { name: MEMBER.name }).click();
    await p.waitForURL('**/admin/files?user=*');
    await p.getByTestId('file-row').filter({ hasText: 'notes.bin' }).waitFor();
    await snap(p, 'admin-files-light-desktop');

    await nav(p, 'Jobs').click();
    await p.waitForURL('**/admin/jobs');
    await hydrated(p);
    await p.getByRole('button', { name: 'Run storage migration job' }).click();
    await expect.poll(() => p.getByTestId('toast').textContent(), { timeout: 10_000 }).toContain('Storage migration job queued');
    // The page refreshes itself while the job waits and runs, until the worker has finished it.
    const migrate = p.locator('[data-job="storage.migrate"] [data-state=completed]');
    await expect.poll(async () => Number(await migrate.textContent()), { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(1);
    await p.getByRole('button', { name: 'Remove orphan files' }).click();
    await expect.poll(() => p.getByTestId('toast').textContent(), { timeout: 10_000 }).toContain('Orphan file sweep queued');
    const sweep = p.locator('[data-job="storage.sweepOrphans"] [data-state=completed]');
    await expect.poll(async () => Number(await sweep.textContent()), { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(1);
    expect(await p.locator('[data-job="storage.sweepOrphans"] th').textContent()).toContain('Orphan file sweep');
    await shots(p, 'admin-jobs');
  });

  it('runs a job without JavaScript, with a Refresh link instead of polling', async () => {
    const p = await pages.open({ javaScriptEnabled: false });
    await p.goto('/signin?redirectTo=%2Fadmin%2Fjobs');
    await p.getByLabel('Email').fill(OWNER.email);
    await p.getByLabel('Password').fill(OWNER.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL('**/admin/jobs');
    // The row is always listed: what shows the job ran is its completed count going up.
    const completed = async () => Number(await p.locator('[data-job="storage.recalculateUsage"] [data-state=completed]').textContent());
    const before = await completed();
    await p.getByRole('button', { name: 'Recalculate usage' }).click();
    expect(await p.getByTestId('toast').textContent()).toContain('Usage recalculation queued');
    // Without JavaScript nothing polls: the operator follows Refresh until the worker is done.
    await expect
      .poll(
        async () => {
          await p.getByRole('link', { name: 'Refresh' }).click();
          await p.waitForLoadState('load');
          return completed();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBeGreaterThanOrEqual(before + 1);
    expect(await p.locator('[data-job="storage.recalculateUsage"] th').textContent()).toContain('Usage recalculation');
  });
});
