/**
 * Screenshots for the store listings: the Chrome Web Store and Firefox Add-ons both take 1280x800.
 * Saved as the suites reach each state a rep sees, as
 * test-results/store-screenshots/<browser>/<lang>-<state>.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const STORE_SIZE = { width: 1280, height: 800 } as const;

export function storeScreenshotPath(browser: 'chromium' | 'firefox', lang: string, state: string): string {
  const dir = join(process.cwd(), 'test-results', 'store-screenshots', browser);
  mkdirSync(dir, { recursive: true });
  return join(dir, `${lang}-${state}.png`);
}
