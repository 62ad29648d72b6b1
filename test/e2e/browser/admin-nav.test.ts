/** The admin shell's navigation on phones: every section, Settings included, and the signed-in user's menu are on screen at 390, 375 and 320 px; a desktop keeps the sidebar. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startApp, type RunningApp } from '../../support/server.ts';
import { launchBrowser, newContext, PHONE, screenshotDir, snap, trpc } from '../../support/browser.ts';

const OWNER = { name: 'Ada Lovelace', email: 'ada@example.com', password: 'analytical-engine-1843' };
const SECTIONS = ['Users', 'Groups', 'Storage', 'Jobs', 'Audit', 'Settings'];

let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchBrowser()]);
  context = await newContext(browser, app.baseUrl, PHONE);
  page = await context.newPage();
  const owner = await trpc(page.request, 'setup.createOwner', OWNER);
  // A quota of their own, so the header carries the storage link as well.
  await trpc(page.request, 'admin.users.update', { id: owner.id, quotaGiB: 10 });
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const nav = () => page.getByRole('navigation', { name: 'Administration' });

/** Everything the header offers: the sections, then the user's storage, profile and sign-out. */
function headerItems(sections = SECTIONS.map((name): [string, Locator] => [name, nav().getByRole('link', { name, exact: true })])): [string, Locator][] {
  return [
    ...sections,
    ['storage', page.getByRole('link', { name: /your storage/i })],
    ['profile', page.getByTestId('current-user')],
    ['sign out', page.getByRole('button', { name: 'Sign out' })],
  ];
}

/**
 * Where each item is against the viewport (negative room: cut off), whether
 * its label is cut short, and whether something else covers its middle.
 */
async function measure(item: Locator) {
  return item.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const vw = document.documentElement.clientWidth;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    // Screen-reader-only text is 1 px wide on purpose.
    const clipped = [el, ...el.querySelectorAll('*')].some((e) => e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible');
    return { left: r.left, top: r.top, right: vw - r.right, bottom: r.bottom, width: r.width, height: r.height, covered: !hit || !(el === hit || el.contains(hit)), clipped };
  });
}

async function expectAllOnScreen(width: number, items = headerItems(), minTap = 32) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `page scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
  const seen: (Awaited<ReturnType<typeof measure>> & { name: string })[] = [];
  for (const [name, item] of items) {
    const m = await measure(item);
    const what = `${name} at ${width} px`;
    expect(m.left, what).toBeGreaterThanOrEqual(0);
    expect(m.right, what).toBeGreaterThanOrEqual(0);
    expect(m.covered, `${what} is covered`).toBe(false);
    // A long name may end in an ellipsis; a section or a button may not.
    if (name !== 'profile') expect(m.clipped, `${what} has its text cut short`).toBe(false);
    // Big enough to tap.
    expect(Math.min(m.width, m.height), what).toBeGreaterThanOrEqual(minTap);
    for (const o of seen) {
      const apart = m.left >= width - o.right || width - m.right <= o.left || m.top >= o.bottom || m.bottom <= o.top;
      expect(apart, `${what} overlaps ${o.name}`).toBe(true);
    }
    seen.push({ ...m, name });
  }
}

async function header(name: string) {
  const box = (await page.locator('main').boundingBox())!;
  const width = page.viewportSize()!.width;
  await page.screenshot({ path: path.join(screenshotDir, `${name}-header.png`), clip: { x: 0, y: 0, width, height: Math.min(box.y + 8, 400) } });
}

describe('admin navigation on a phone', () => {
  it.each([390, 375, 320])('shows every section and the user menu within %i px', async (width) => {
    await page.setViewportSize({ width, height: 800 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto('/admin/users');
      await nav().waitFor();
      await snap(page, `admin-nav-${width}-${scheme}`);
      await header(`admin-nav-${width}-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await nav().getByRole('link').allInnerTexts()).toEqual(SECTIONS);
    await expectAllOnScreen(width);
    // The current section stands out on the settings page as well.
    await page.goto('/admin/settings');
    await nav().waitFor();
    expect(await nav().locator('[aria-current="page"]').innerText()).toBe('Settings');
    await expectAllOnScreen(width);
    await header(`admin-nav-${width}-settings`);
  });

  it('keeps a visible focus ring on each section when tabbing (375 px)', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto('/admin/users');
    await nav().waitFor();
    await page.locator('body').focus();
    const focused: string[] = [];
    for (let i = 0; i < 12 && !focused.includes('Settings'); i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        if (!el.closest('nav[aria-label="Administration"]')) return null;
        const r = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        const ring = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
        // The ring must not be cut off by a scrolling or clipping ancestor, nor by the screen.
        let clip = { left: 0, top: 0, right: document.documentElement.clientWidth, bottom: innerHeight };
        for (let a = el.parentElement; a; a = a.parentElement) {
          if (getComputedStyle(a).overflow === 'visible') continue;
          const c = a.getBoundingClientRect();
          clip = { left: Math.max(clip.left, c.left), top: Math.max(clip.top, c.top), right: Math.min(clip.right, c.right), bottom: Math.min(clip.bottom, c.bottom) };
        }
        return {
          text: el.innerText,
          outline: style.outlineStyle,
          inside: r.left - ring >= clip.left - 0.5 && r.top - ring >= clip.top - 0.5 && r.right + ring <= clip.right + 0.5 && r.bottom + ring <= clip.bottom + 0.5,
        };
      });
      if (!f) continue;
      expect(f.outline, f.text).not.toBe('none');
      expect(f.inside, `${f.text}'s focus ring is cut off`).toBe(true);
      focused.push(f.text);
      if (f.text === 'Jobs') await header('admin-nav-375-focus');
    }
    expect(focused).toEqual(SECTIONS);
  });

  it('takes its links without JavaScript', async () => {
    const ctx = await newContext(browser, app.baseUrl, { ...PHONE, viewport: { width: 375, height: 800 }, javaScriptEnabled: false, storageState: await context.storageState() });
    const p = await ctx.newPage();
    await p.goto('/admin/users');
    const links = p.getByRole('navigation', { name: 'Administration' });
    await links.getByRole('link', { name: 'Settings', exact: true }).click();
    await p.waitForURL('**/admin/settings');
    expect(await links.locator('[aria-current="page"]').innerText()).toBe('Settings');
    await links.getByRole('link', { name: 'Jobs', exact: true }).click();
    await p.waitForURL('**/admin/jobs');
    await ctx.close();
  });

  it('keeps the user menu on screen with a long name (320 px)', async () => {
    await trpc(page.request, 'me.update', { name: 'Augusta Ada King-Noel, Countess of Lovelace' });
    try {
      await page.setViewportSize({ width: 320, height: 700 });
      await page.goto('/admin/users');
      await nav().waitFor();
      await header('admin-nav-320-long-name');
      await expectAllOnScreen(320);
    } finally {
      await trpc(page.request, 'me.update', { name: OWNER.name });
    }
  });

  it('fits the same user menu into the files page bar (320 px)', async () => {
    await page.setViewportSize({ width: 320, height: 700 });
    await page.goto('/files');
    const back = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' });
    await back.waitFor();
    await header('admin-nav-320-files');
    // (Its text link back to the admin pages is smaller than a tile: not measured for size here.)
    await expectAllOnScreen(320, headerItems([['Administration', back]]), 0);
  });

  it('keeps the sidebar on a desktop', async () => {
    const desktop = await newContext(browser, app.baseUrl, { storageState: await context.storageState() });
    const page = await desktop.newPage();
    const nav = () => page.getByRole('navigation', { name: 'Administration' });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto('/admin/users');
      await nav().waitFor();
      await snap(page, `admin-nav-1280-${scheme}`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    // One section under the other, each icon beside its label, in a 232 px column.
    const rows = await nav()
      .getByRole('link')
      .evaluateAll((links) =>
        links.map((a) => {
          const r = a.getBoundingClientRect();
          const icon = a.querySelector('svg')!.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom, left: r.left, iconBeside: icon.right < r.left + 40 && Math.abs(icon.top + icon.height / 2 - (r.top + r.height / 2)) < 2 };
        }),
      );
    for (const [i, r] of rows.entries()) {
      expect(r.iconBeside).toBe(true);
      if (i > 0) expect(r.top).toBeGreaterThanOrEqual(rows[i - 1]!.bottom);
    }
    expect((await page.locator('aside').boundingBox())!.width).toBe(232);
    const storage = page.getByRole('link', { name: /your storage/i });
    expect(await storage.innerText()).toMatch(/^Your storage\s*0 B of 10 GB$/);
    await desktop.close();
  });
});
