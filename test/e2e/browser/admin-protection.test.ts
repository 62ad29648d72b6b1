import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { hydrated, launchBrowser, newContext, snap, trpc } from '../../support/browser.ts';

const OWNER = { name: 'Olga Owner', email: 'olga@example.com', password: 'owner-password-2026' };
const ADMIN_A = { name: 'Ada Admin', email: 'ada@example.com', password: 'admin-a-password-1' };
const ADMIN_B = { name: 'Bea Admin', email: 'bea@example.com', password: 'admin-b-password-1' };
const MEMBER = { name: 'Uma User', email: 'uma@example.com', password: 'member-password-1' };
/** The toolbar buttons that act on credentials, sessions, suspension and deletion. */
const GUARDED = ['Reset password', 'Reset link', /^Sessions/, 'Suspend', 'Delete'] as const;

let app: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
const ids: Record<'owner' | 'a' | 'b' | 'member', string> = { owner: '', a: '', b: '', member: '' };
let ownerPage: Page;
let adminPage: Page;

async function signedIn(who: { email: string; password: string }): Promise<Page> {
  const ctx = await newContext(browser, app.baseUrl);
  contexts.push(ctx);
  const p = await ctx.newPage();
  await trpc(p.request, 'auth.signIn', { email: who.email, password: who.password });
  return p;
}

/** The names of the buttons in the user page's toolbar. */
async function toolbar(p: Page, userId: string): Promise<string[]> {
  await p.goto(`/admin/users/${userId}`);
  await hydrated(p);
  await p.getByRole('heading', { level: 1 }).waitFor();
  // An empty toolbar has no size, so it is read rather than waited for.
  return (await p.locator('[role=toolbar] button').allInnerTexts()).map((t) => t.trim());
}
const guardedIn = (buttons: string[]) => buttons.filter((b) => GUARDED.some((g) => (typeof g === 'string' ? b === g : g.test(b))));

// The admin user page offers only what the rules let the viewer do to that user (admin.users.get's `may`).
describe('who may act on whom, in the admin user page', () => {
  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    const ctx = await newContext(browser, app.baseUrl);
    contexts.push(ctx);
    ownerPage = await ctx.newPage();
    await trpc(ownerPage.request, 'setup.createOwner', OWNER);
    ids.owner = (await trpc(ownerPage.request, 'auth.signIn', { email: OWNER.email, password: OWNER.password })).user.id;
    for (const [key, who, role] of [['a', ADMIN_A, 'admin'], ['b', ADMIN_B, 'admin'], ['member', MEMBER, 'user']] as const) {
      ids[key] = (await trpc(ownerPage.request, 'admin.users.create', { ...who, role, mustChangePassword: false })).user.id;
    }
    adminPage = await signedIn(ADMIN_A);
  });

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await app?.stop();
  });

  it('shows an admin no credential, session, suspension or deletion actions for another admin while adminsCanCreateAdmins is off', async () => {
    const buttons = await toolbar(adminPage, ids.b);
    expect(buttons).toContain('Edit');
    expect(guardedIn(buttons)).toEqual([]);
    await adminPage.getByRole('button', { name: 'Edit' }).click();
    await adminPage.getByText('Only the owner can change an administrator’s role.').waitFor();
    expect(await adminPage.getByLabel('Email').getAttribute('readonly')).not.toBeNull();
    await snap(adminPage, 'admin-on-admin-edit-light-desktop');
    await adminPage.keyboard.press('Escape');
    await snap(adminPage, 'admin-on-admin-light-desktop');
  });

  it('shows an admin nothing to do to the owner, and the page still opens with the owner’s row', async () => {
    const buttons = await toolbar(adminPage, ids.owner);
    expect(buttons).toEqual([]);
    await adminPage.getByRole('heading', { name: OWNER.name }).waitFor();
    await adminPage.getByText('Only the owner can change the owner’s account.').waitFor();
    await snap(adminPage, 'admin-on-owner-light-desktop');
  });

  it('shows an admin every action on a member, and the owner every action on an admin', async () => {
    expect(guardedIn(await toolbar(adminPage, ids.member))).toEqual(['Reset password', 'Reset link', 'Sessions (0)', 'Suspend', 'Delete']);
    expect(guardedIn(await toolbar(ownerPage, ids.b))).toEqual(['Reset password', 'Reset link', 'Sessions (0)', 'Suspend', 'Delete']);
  });

  it('offers the admin actions on admins once the owner turns adminsCanCreateAdmins on', async () => {
    await trpc(ownerPage.request, 'admin.settings.update', { adminsCanCreateAdmins: true });
    try {
      expect(guardedIn(await toolbar(adminPage, ids.b))).toEqual(['Reset password', 'Reset link', 'Sessions (0)', 'Suspend', 'Delete']);
      expect(await toolbar(adminPage, ids.owner)).toEqual([]);
    } finally {
      await trpc(ownerPage.request, 'admin.settings.update', { adminsCanCreateAdmins: false });
    }
  });
});
