/** Issue 11's delegated management in a browser: a manager who is not an admin adds and removes members of their group on "My groups". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { hydrated, launchBrowser, snap, trpc, trpcQuery, Pages } from '../../support/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
const MANNY = { name: 'Manny Manager', email: 'manny@example.com', password: 'manny-password-2026' };
const UMA = { name: 'Uma Member', email: 'uma@example.com', password: 'uma-password-2026' };
const VIC = { name: 'Vic Newcomer', email: 'vic@example.com', password: 'vic-password-2026' };

let app: RunningApp;
let browser: Browser;
let owner: APIRequestContext;
let groupId: string;
const ids: Record<string, string> = {};
let pages: Pages;

async function signIn(p: Page, who: { email: string; password: string }) {
  await p.goto('/signin');
  await hydrated(p);
  await p.getByLabel('Email').fill(who.email);
  await p.getByLabel('Password').fill(who.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL((u) => u.pathname === '/');
}

const groupMembers = async (): Promise<{ name: string; manager: boolean }[]> => (await trpcQuery(owner, 'admin.groups.get', { id: groupId })).members;

const idOf = (r: any) => (r.user ?? r).id as string;

describe('a manager on "My groups"', () => {
  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    pages = new Pages(browser, app.baseUrl);
    owner = (await pages.open()).request;
    await trpc(owner, 'setup.createOwner', OWNER);
    for (const who of [MANNY, UMA, VIC]) ids[who.email] = idOf(await trpc(owner, 'admin.users.create', { ...who, role: 'user', mustChangePassword: false }));
    groupId = (await trpc(owner, 'admin.groups.create', { name: 'Choir', description: 'Tuesday evenings', grants: [], denies: [] })).id;
    await trpc(owner, 'admin.groups.addMembers', { groupId, userIds: [ids[MANNY.email], ids[UMA.email]] });
    await trpc(owner, 'admin.groups.setManagers', { groupId, userIds: [ids[MANNY.email]] });
  });

  afterAll(async () => {
    await pages?.close();
    await browser?.close();
    await app?.stop();
  });

  it('shows the link only to someone who manages a group', async () => {
    const uma = await pages.open();
    await signIn(uma, UMA);
    await uma.getByRole('link', { name: 'Your files' }).waitFor();
    expect(await uma.getByRole('link', { name: 'My groups' }).count()).toBe(0);
    await uma.goto('/files');
    expect(await uma.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My groups' }).count()).toBe(0);
    await uma.goto('/profile');
    await uma.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Home' }).waitFor();
    expect(await uma.getByRole('link', { name: 'My groups' }).count()).toBe(0);
    // Typing the address shows nothing to manage.
    await uma.goto('/groups');
    await uma.getByText('You manage no groups').waitFor();
  });

  it('lets the manager add someone by searching and remove a member, without admin pages', { timeout: 60_000 }, async () => {
    const p = await pages.open();
    await signIn(p, MANNY);
    await snap(p, 'home-manager-light-desktop');
    await p.getByRole('link', { name: 'My groups' }).click();
    await p.waitForURL('**/groups');
    await hydrated(p);
    const choir = p.getByRole('region', { name: 'Choir' });
    await choir.getByTestId('member-row').filter({ hasText: UMA.name }).waitFor();
    expect(await choir.getByTestId('member-row').filter({ hasText: MANNY.name }).textContent()).toContain('Manager');
    // The bar links back here from the files page too.
    expect(await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My groups' }).count()).toBe(1);
    await snap(p, 'my-groups-light-desktop');

    await choir.getByRole('combobox', { name: 'Add people' }).fill('Vic');
    await choir.getByRole('option', { name: new RegExp(VIC.name) }).click();
    await choir.getByRole('button', { name: 'Add to group' }).click();
    await p.getByTestId('toast').filter({ hasText: '1 person added' }).waitFor();
    await choir.getByTestId('member-row').filter({ hasText: VIC.name }).waitFor();

    await choir.getByRole('button', { name: `Remove ${UMA.name} from Choir` }).click();
    await p.getByTestId('toast').filter({ hasText: '1 person removed' }).waitFor();
    await choir.getByTestId('member-row').filter({ hasText: UMA.name }).waitFor({ state: 'detached' });
    const names = (await groupMembers()).map((m) => m.name).sort();
    expect(names).toEqual([MANNY.name, VIC.name]);
    for (const scheme of ['light', 'dark'] as const) {
      await p.emulateMedia({ colorScheme: scheme });
      await snap(p, `my-groups-after-${scheme}-desktop`);
    }
    await p.setViewportSize({ width: 390, height: 844 });
    await snap(p, 'my-groups-after-dark-phone');

    // The profile's bar has the way back too.
    await p.goto('/profile');
    await p.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'My groups' }).waitFor();

    // Still not an admin.
    await p.goto('/admin/groups');
    await p.waitForURL((u) => u.pathname === '/');
  });
});
