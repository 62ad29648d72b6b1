/**
 * Webhooks in a browser (issue 13): add an endpoint with the create dialog,
 * the secret shown once (and never again), the delivery log filling in from
 * the real worker to a receiver on 127.0.0.1, send test, replay, disable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { hydrated, launchBrowser, Pages, shots, trpc } from '../../support/browser.ts';
import { startReceiver } from '../../support/webhook-receiver.ts';
import { startOwnRedis } from '../../support/worker.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

let app: RunningApp;
let browser: Browser;
let admin: Page;
let pages: Pages;
let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const toast = (p: Page, text: string | RegExp) => p.getByTestId('toast').filter({ hasText: text }).first().waitFor();
const rows = () => admin.getByTestId('delivery-row');

describe('webhooks page', () => {
  beforeAll(async () => {
    [redis, receiver, browser] = await Promise.all([startOwnRedis(), startReceiver(), launchBrowser()]);
    app = await startApp({ worker: true, env: { REDIS_URL: redis.url, ROSTER_WEBHOOK_POLL_MS: '200', ROSTER_WEBHOOK_BACKOFF_MS: '200' } });
    pages = new Pages(browser, app.baseUrl);
    admin = await pages.open();
    await trpc(admin.request, 'setup.createOwner', OWNER);
  });
  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await app?.stop();
    await receiver?.close();
    await redis?.stop();
  });

  it('creates an endpoint: a loopback URL needs the allowance; the secret is shown once', { timeout: 120_000 }, async () => {
    await admin.goto('/admin/webhooks');
    await hydrated(admin);
    // Webhooks sit with Settings in the navigation.
    await admin.locator('nav[aria-label="Administration"] a[aria-current="page"]', { hasText: 'Settings' }).waitFor();
    await admin.getByText('No webhooks yet').waitFor();
    await admin.getByRole('button', { name: 'Add webhook' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('URL').fill(receiver.url);
    await dialog.getByRole('checkbox', { name: 'user.created' }).check();
    await dialog.getByRole('checkbox', { name: 'user.deleted' }).check();
    await dialog.getByRole('button', { name: 'Add webhook' }).click();
    await dialog.getByText(/private or loopback/).first().waitFor();
    await dialog.getByLabel('Allow private and loopback addresses').check();
    await dialog.getByText(/Only for a receiver on your own network/).waitFor();
    await shots(admin, 'webhooks-create', false);
    await dialog.getByRole('button', { name: 'Add webhook' }).click();
    const secret = await dialog.getByTestId('secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await dialog.getByRole('button', { name: 'Copy' }).waitFor();
    await shots(admin, 'webhooks-secret', false);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await admin.getByTestId('webhook-row').filter({ hasText: receiver.url }).waitFor();
    // Shown once: neither the list nor the endpoint page carries it.
    expect(await admin.content()).not.toContain(secret.slice(6, 30));
    await admin.getByRole('link', { name: receiver.url }).click();
    await admin.getByRole('heading', { name: receiver.url }).waitFor();
    expect(await admin.content()).not.toContain(secret.slice(6, 30));
  });

  it('shows deliveries as the worker makes them; send test, replay, disable', { timeout: 120_000 }, async () => {
    await hydrated(admin);
    await admin.getByText('No deliveries yet').waitFor();
    await trpc(admin.request, 'admin.users.create', { email: 'hooked@example.com', name: 'Hooked', role: 'user', generatePassword: true });
    await admin.getByRole('button', { name: 'Send test' }).click();
    await toast(admin, 'Test event queued');
    // The log fills in as the worker delivers: reload until both show as succeeded.
    await expect.poll(async () => {
      await admin.reload();
      return rows().filter({ hasText: 'succeeded' }).count();
    }, { timeout: 30_000, interval: 500 }).toBe(2);
    expect(receiver.received.some((r) => r.body.includes('hooked@example.com') && r.body.includes('"user.created"'))).toBe(true);
    await expect.poll(() => rows().filter({ hasText: 'webhook.test' }).count()).toBe(1);
    await shots(admin, 'webhooks-log');

    await hydrated(admin);
    await rows().filter({ hasText: 'user.created' }).getByRole('button', { name: 'Replay' }).click();
    await toast(admin, 'user.created queued again');
    await expect.poll(async () => {
      await admin.reload();
      return rows().filter({ hasText: '(replay)' }).filter({ hasText: 'succeeded' }).count();
    }, { timeout: 30_000, interval: 500 }).toBe(1);

    await hydrated(admin);
    await admin.getByRole('button', { name: 'Disable' }).click();
    await toast(admin, 'Webhook disabled');
    await admin.getByTestId('disabled-reason').waitFor();
    await admin.getByRole('button', { name: 'Enable' }).waitFor();
    await admin.getByRole('button', { name: 'Delete' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Delete webhook' }).click();
    await admin.waitForURL((u) => u.pathname === '/admin/webhooks');
    await admin.getByText('No webhooks yet').waitFor();
  });
});
