/** The delete dialog's transfer picker offers only users the router accepts as a target: active and approved, not the one leaving. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { hydrated, launchBrowser, newContext, snap, trpc } from '../../support/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
const user = (name: string, role = 'user') => ({
  name,
  email: `${name.split(' ')[0]!.toLowerCase()}@example.com`,
  password: 'a long enough password',
  role,
  mustChangePassword: false,
});
const ALAN = user('Alan Turing');
const BEA = user('Bea Bletchley');
const PAT = user('Pat Pending', 'pending');
const SUE = user('Sue Suspended');
const DEX = user('Dex Deleted');

let app: RunningApp;
let browser: Browser;
let admin: Page;
const ids: Record<string, string> = {};

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  admin = await (await newContext(browser, app.baseUrl)).newPage();
  await trpc(admin.request, 'setup.createOwner', OWNER);
  for (const u of [ALAN, BEA, PAT, SUE, DEX]) ids[u.name] = (await trpc(admin.request, 'admin.users.create', u)).user.id;
  await trpc(admin.request, 'admin.users.suspend', { id: ids[SUE.name], reason: 'test' });
  await trpc(admin.request, 'admin.users.delete', { id: ids[DEX.name] });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('transfer target picker', () => {
  it('lists active, approved users only', async () => {
    await admin.goto(`/admin/users/${ids[ALAN.name]}`);
    await hydrated(admin);
    await admin.getByRole('button', { name: 'Delete' }).click();
    const del = admin.getByRole('dialog', { name: `Delete ${ALAN.name}?` });
    const search = del.getByRole('combobox', { name: 'Transfer their files to (optional)' });
    await search.fill('example');
    await del.getByRole('option', { name: new RegExp(BEA.name) }).waitFor();
    const offered = await del.getByRole('option').locator('strong').allInnerTexts();
    expect(offered.sort()).toEqual([OWNER.name, BEA.name]);
    await snap(admin, 'user-delete-transfer-picker');

    await search.fill('pat');
    await del.getByText('No active, approved users match').waitFor();
  });

  it('the router refuses what the picker leaves out, with data.appCode TRANSFER_TARGET_INVALID', async () => {
    for (const target of [PAT, SUE, DEX, ALAN]) {
      const res = await admin.request.post('/api/trpc/admin.users.delete', { data: { id: ids[ALAN.name], transferToUserId: ids[target.name] } });
      expect(res.status()).toBe(400);
      const { error } = await res.json();
      expect({ target: target.name, appCode: error.data.appCode }).toEqual({ target: target.name, appCode: 'TRANSFER_TARGET_INVALID' });
    }
  });
});
