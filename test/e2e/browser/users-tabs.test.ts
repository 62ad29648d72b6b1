/** The users area's tab row on phones: at 390 and 375 px every tab, "Invitations" included, is on screen; narrower, the row scrolls to the current tab. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { insertManyUsers } from '../../support/database.ts';
import { startApp, type RunningApp } from '../../support/server.ts';
import { launchBrowser, newContext, PHONE, screenshotDir, snap, trpc } from '../../support/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };

let app: RunningApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  page = await (await newContext(browser, app.baseUrl, PHONE)).newPage();
  await trpc(page.request, 'setup.createOwner', OWNER);
  // The widest exact badge: "1,000" waiting for approval.
  await insertManyUsers(app.databaseUrl, 1000, { prefix: 'Waiting User', role: 'pending' });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const tabs = () => page.getByRole('navigation', { name: 'User lists' });

/** How far each tab's right edge is from the row's visible right edge (negative: cut off) and whether the row scrolls. */
async function fit() {
  return tabs().evaluate((nav) => {
    const right = nav.getBoundingClientRect().right;
    return {
      overflow: nav.scrollWidth - nav.clientWidth,
      tabs: [...nav.querySelectorAll('a')].map((a) => ({ text: (a as HTMLElement).innerText.replace(/\s+/g, ' ').trim(), room: right - a.getBoundingClientRect().right })),
    };
  });
}

describe('users tabs on a phone', () => {
  it.each([
    ['/admin/users', 'users-tabs-phone'],
    ['/admin/users/invitations', 'users-tabs-invitations-phone'],
  ])('%s shows all four tabs within 390 px', async (url, name) => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(url);
      await tabs().waitFor();
      await snap(page, `${name}-${scheme}`);
      const box = (await tabs().boundingBox())!;
      await page.screenshot({ path: path.join(screenshotDir, `${name}-${scheme}-tabs.png`), clip: { x: 0, y: Math.max(0, box.y - 40), width: 390, height: box.height + 80 } });
    }
    const f = await fit();
    expect(f.tabs.map((t) => t.text)).toEqual([expect.stringMatching(/^All/), expect.stringMatching(/^Pending.* 1,000 waiting$/), 'Deleted', 'Invitations']);
    expect(f.overflow).toBeLessThanOrEqual(0);
    for (const t of f.tabs) expect(t.room, t.text).toBeGreaterThanOrEqual(0);
    await page.setViewportSize({ width: 375, height: 812 });
    await page.emulateMedia({ colorScheme: 'light' });
    await snap(page, `${name}-375`);
    const small = await fit();
    expect(small.overflow).toBeLessThanOrEqual(0);
    for (const t of small.tabs) expect(t.room, `${t.text} at 375 px`).toBeGreaterThanOrEqual(0);
  });

  it('scrolls the row to the current tab where it cannot fit (320 px), with an edge shadow as the cue', async () => {
    await page.setViewportSize({ width: 320, height: 700 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/admin/users/invitations');
    await tabs().waitFor();
    // Sub-pixel: scrolled to its end, the last tab's edge meets the row's within a pixel.
    await expect.poll(async () => (await fit()).tabs.at(-1)!.room).toBeGreaterThanOrEqual(-1);
    const box = (await tabs().boundingBox())!;
    await page.screenshot({ path: path.join(screenshotDir, 'users-tabs-invitations-320-tabs.png'), clip: { x: 0, y: Math.max(0, box.y - 40), width: 320, height: box.height + 80 } });
    await page.goto('/admin/users');
    await tabs().waitFor();
    const box2 = (await tabs().boundingBox())!;
    await page.screenshot({ path: path.join(screenshotDir, 'users-tabs-320-tabs.png'), clip: { x: 0, y: Math.max(0, box2.y - 40), width: 320, height: box2.height + 80 } });
    const start = await fit();
    expect(start.overflow).toBeGreaterThan(0);
    expect(start.tabs[0]!.room).toBeGreaterThan(0);
  });

  it('keeps the long labels on a desktop', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/admin/users');
    await tabs().waitFor();
    const labels = (sel: string) => tabs().locator(sel).evaluateAll((els) => els.map((e) => (e.getBoundingClientRect().width > 1 ? (e as HTMLElement).innerText : '')));
    expect(await labels('.long')).toEqual(['All users', 'Pending approval']);
    expect(await labels('.short')).toEqual(['', '']);
    const box = (await tabs().boundingBox())!;
    await page.screenshot({ path: path.join(screenshotDir, 'users-tabs-desktop-tabs.png'), clip: { x: box.x - 20, y: box.y - 20, width: box.width + 40, height: box.height + 40 } });
    await page.setViewportSize({ width: 390, height: 844 });
  });
});
