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

/** Pages of one test file, each in a fresh context (its own cookies); `close()` ends them all. */
export class Pages {
  readonly #browser: Browser;
  readonly #baseUrl: string;
  readonly #contexts: BrowserContext[] = [];
  constructor(browser: Browser, baseUrl: string) {
    this.#browser = browser;
    this.#baseUrl = baseUrl;
  }
  async open(opts: BrowserContextOptions = {}): Promise<Page> {
    const context = await newContext(this.#browser, this.#baseUrl, opts);
    this.#contexts.push(context);
    return context.newPage();
  }
  async close(): Promise<void> {
    await Promise.all(this.#contexts.map((c) => c.close()));
  }
}

/** Signs in through the form on /signin, once it is hydrated. */
export async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto('/signin');
  await hydrated(page);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export const screenshotDir = path.join(repoRoot, 'test-results', 'screenshots');

/** Full-page screenshot under test-results/ (gitignored), for people to look at. */
export async function snap(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Screenshots to look at: light and dark on a desktop and (unless `phone` is false) on a 390 px phone. */
export async function shots(page: Page, name: string, phone = true): Promise<void> {
  // Reduced motion turns off colour transitions, so a scheme switch is complete when the shot is taken;
  // scrolling to the top keeps sticky headers where they belong in a full-page shot.
  const scheme = (colorScheme: 'light' | 'dark') => page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
  await page.evaluate(() => window.scrollTo(0, 0));
  await scheme('light');
  await snap(page, `${name}-light-desktop`);
  await scheme('dark');
  await snap(page, `${name}-dark-desktop`);
  if (phone) {
    await page.setViewportSize({ width: 390, height: 844 });
    await snap(page, `${name}-dark-phone`);
    await scheme('light');
    await snap(page, `${name}-light-phone`);
    await page.setViewportSize(DESKTOP.viewport!);
  }
  await scheme('light');
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
