import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium: the tests drive it, nothing is downloaded. */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Where the screenshots of a test run go (gitignored). */
export const screenshotDirectory = fileURLToPath(
  new URL('../../.test-results/screenshots/', import.meta.url),
);

/** A headless Chromium with a fresh profile, and one page. */
export interface TestBrowser {
  readonly page: Page;
  /** Saves a full-page screenshot as `<name>.png` under {@link screenshotDirectory}; returns the path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Starts Debian's Chromium headless (no sandbox: tests may run as root in CI; background
 * networking, QUIC, component updates and sync off) with a fresh user-data-dir.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'console-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1400, height: 1000 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await mkdir(screenshotDirectory, { recursive: true });
  return {
    page,
    async screenshot(name) {
      const path = join(screenshotDirectory, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
