import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { hydrated, launchBrowser, newContext, snap, trpc, shots } from '../../support/browser.ts';
import { startOwnRedis, waitUntil } from '../../support/worker.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
const ALAN = { name: 'Alan Turing', email: 'alan@example.com', password: 'enigma-machine-1940', role: 'user', mustChangePassword: false };
const BEA = { name: 'Bea Bletchley', email: 'bea@example.com', password: 'bombe-operator-1942', role: 'user', mustChangePassword: false };

let app: RunningApp;
let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let browser: Browser;
let context: BrowserContext;
let admin: Page;
const ids: Record<string, string> = {};

const toast = (p: Page, text: string | RegExp) => p.getByTestId('toast').filter({ hasText: text }).waitFor();
const deletedRow = (name: string) => admin.getByTestId('deleted-row').filter({ hasText: name });

/** Gone for good: the purge removed the row, so the router no longer knows the id. */
async function purged(id: string): Promise<boolean> {
  const res = await admin.request.get(`/api/trpc/admin.users.get?input=${encodeURIComponent(JSON.stringify({ id }))}`);
  return res.status() === 404;
}

async function openDeleteDialog(name: string) {
  await admin.goto(`/admin/users/${ids[name]}`);
  await hydrated(admin);
  await admin.getByRole('button', { name: 'Delete' }).click();
  return admin.getByRole('dialog', { name: `Delete ${name}?` });
}

// The worker runs alongside the app (on a Redis of this file's own), so immediate deletions really purge.
describe('deleting users in a browser', () => {
  beforeAll(async () => {
    redis = await startOwnRedis();
    [app, browser] = await Promise.all([startApp({ worker: true, env: { REDIS_URL: redis.url } }), launchBrowser()]);
    context = await newContext(browser, app.baseUrl);
    admin = await context.newPage();
    await trpc(admin.request, 'setup.createOwner', OWNER);
    for (const u of [ALAN, BEA]) ids[u.name] = (await trpc(admin.request, 'admin.users.create', u)).user.id;
    // Something for the preview to count and the transfer to move.
    const up = await admin.request.post(`/api/files?as=${ids[ALAN.name]}&name=notes.txt`, {
      data: Buffer.alloc(3000, 0x61),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(up.status()).toBe(201);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
    await redis?.stop();
  });

  it('delete dialog with preview, transfer target and typed confirmation; the Deleted tab counts down; Restore brings them back', { timeout: 120_000 }, async () => {
    const del = await openDeleteDialog(ALAN.name);
    await del.getByText('1 file (2.9 KB)').waitFor();
    await del.getByText(/in 7 days/).first().waitFor();
    const submit = del.getByRole('button', { name: 'Delete user' });
    expect(await submit.isDisabled()).toBe(true);

    await del.getByLabel('Transfer their files to (optional)').fill('bea');
    await del.getByRole('option', { name: new RegExp(BEA.name) }).click();
    await del.getByTestId('picked-user').filter({ hasText: BEA.email }).waitFor();
    await del.getByText('moved, not deleted').waitFor();
    await del.getByLabel(`Type ${ALAN.email} to confirm`).fill('alan@');
    expect(await submit.isDisabled()).toBe(true);
    await del.getByLabel(`Type ${ALAN.email} to confirm`).fill(ALAN.email);
    await shots(admin, 'user-delete-dialog');
    await submit.click();

    await admin.waitForURL((u) => u.pathname === '/admin/users' && u.searchParams.get('status') === 'deleted');
    await toast(admin, `${ALAN.name} was deleted`);
    await deletedRow(ALAN.name).filter({ hasText: 'Purged in 7 days' }).waitFor();
    await hydrated(admin);
    await shots(admin, 'users-deleted-tab');

    // The deleted user's own page says when, and what moves where.
    await admin.getByRole('link', { name: ALAN.name }).click();
    await admin.getByText(`Files move to ${BEA.name}.`).waitFor();
    await hydrated(admin);
    await shots(admin, 'user-deleted-detail', false);
    await admin.goBack();

    await hydrated(admin);
    await admin.getByRole('button', { name: `Restore ${ALAN.name}` }).click();
    await toast(admin, `${ALAN.name} was restored`);
    await deletedRow(ALAN.name).waitFor({ state: 'detached' });
    await admin.getByText('No deleted users').waitFor();
    await admin.getByRole('link', { name: 'All users' }).click();
    await admin.getByTestId('user-row').filter({ hasText: ALAN.email }).filter({ hasText: 'Active' }).waitFor();
  });

  it('immediate deletion with the worker running: the user disappears', { timeout: 120_000 }, async () => {
    const del = await openDeleteDialog(ALAN.name);
    await del.getByLabel('Queue user and its data for immediate deletion').check();
    await del.getByText('right away').first().waitFor();
    await del.getByLabel(`Type ${ALAN.email} to confirm`).fill(ALAN.email);
    await snap(admin, 'user-delete-immediate-light-desktop');
    await del.getByRole('button', { name: 'Delete now' }).click();
    await admin.waitForURL((u) => u.searchParams.get('status') === 'deleted');
    await toast(admin, 'queued for immediate deletion');
    await waitUntil(() => purged(ids[ALAN.name]!), 30_000, 'the immediate purge');
    await admin.reload();
    await admin.getByText('No deleted users').waitFor();
  });

  it('Purge now on a scheduled deletion asks first, then the worker purges it', { timeout: 120_000 }, async () => {
    await trpc(admin.request, 'admin.users.delete', { id: ids[BEA.name] });
    await admin.goto('/admin/users?status=deleted');
    await hydrated(admin);
    await admin.getByRole('button', { name: `Purge ${BEA.name} now` }).click();
    const confirm = admin.getByRole('dialog', { name: 'Purge now?' });
    await confirm.getByText(BEA.email).waitFor();
    await snap(admin, 'user-purge-now-light-desktop');
    await confirm.getByRole('button', { name: 'Purge now' }).click();
    await toast(admin, `${BEA.name} is being purged`);
    await waitUntil(() => purged(ids[BEA.name]!), 30_000, 'the purge-now purge');
  });
});
