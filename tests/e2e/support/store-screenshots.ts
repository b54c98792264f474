/**
 * Screenshots for the store listings (Chrome Web Store and Firefox Add-ons both take 1280x800),
 * saved as the suites reach each state a rep sees: test-results/store-screenshots/<browser>/<lang>-<state>.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const STORE_SCREENSHOTS = join(process.cwd(), 'test-results', 'store-screenshots');
export const STORE_SIZE = { width: 1280, height: 800 } as const;

/** Playwright's and Puppeteer's pages: each sets its viewport its own way. */
type ScreenshotPage = { screenshot(options: { path: string }): Promise<unknown> } & (
  | { setViewportSize(size: { width: number; height: number }): Promise<void> }
  | { setViewport(size: { width: number; height: number }): Promise<void> }
);

export async function storeScreenshot(page: ScreenshotPage, browser: 'chromium' | 'firefox', lang: string, state: string): Promise<string> {
  const dir = join(STORE_SCREENSHOTS, browser);
  mkdirSync(dir, { recursive: true });
  if ('setViewportSize' in page) await page.setViewportSize(STORE_SIZE);
  else await page.setViewport(STORE_SIZE);
  const path = join(dir, `${lang}-${state}.png`);
  await page.screenshot({ path });
  return path;
}
