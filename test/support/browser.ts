import fs from 'node:fs';
import path from 'node:path';
import { chromium, type APIRequestContext, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { repoRoot } from '@roster/config';

/** Debian's Chromium, never a downloaded one (`playwright install` is not used on these machines). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };

/**
 * Launches headless Chromium. Playwright gives every `launch()` a fresh
 * temporary `--user-data-dir` of its own (and refuses one in `args`), so no
 * profile state leaks between runs.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}


/** A context whose pages fail fast instead of hanging, for a test against `baseUrl`. */
export async function newContext(browser: Browser, baseUrl: string, opts: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl, ...DESKTOP, ...opts });
  // Generous: CI machines run the other suites alongside this one.
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(30_000);
  return context;
}

/** Waits until SvelteKit has hydrated (root layout sets the marker), so clicks reach enhanced handlers. */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.hydrated === 'true');
}

export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

/** Full-page screenshot under test-results/ (gitignored), for people to look at. */
export async function snap(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Calls a procedure over HTTP with the cookies of `req` (a page's or a context's `request`), as the CLI would. */
export async function trpc(req: APIRequestContext, path: string, input: unknown): Promise<any> {
  const res = await req.post(`/api/trpc/${path}`, { data: input });
  if (!res.ok()) throw new Error(`${path}: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { result: { data: unknown } }).result.data;
}

/** A query over HTTP with the cookies of `req` (`trpc` posts, which only mutations take). */
export async function trpcQuery(req: APIRequestContext, path: string, input?: unknown): Promise<any> {
  const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await req.get(`/api/trpc/${path}${qs}`);
  if (!res.ok()) throw new Error(`${path}: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { result: { data: unknown } }).result.data;
}
