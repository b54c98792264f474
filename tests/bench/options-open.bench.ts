/**
 * How soon the options page shows the connection's state: on its first open in a browser where
 * the extension was just installed (its worker still starting), as a ratio to a later open in
 * the same browser. The time runs from the navigation's start to the state panel being shown.
 */
import type { Page } from 'playwright-core';
import { launchWithExtension } from '../e2e/support/browser';
import { PRODUCTION_EXTENSION_DIR } from './support/build';

const BROWSERS = 5;
const LATER_OPENS = 5;

async function msToState(page: Page): Promise<number> {
  await page.locator('.connection-status').waitFor({ state: 'visible', timeout: 20_000 });
  return page.evaluate(() => performance.now());
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export async function run(): Promise<Record<string, number | string>> {
  const first: number[] = [];
  const later: number[] = [];
  for (let i = 0; i < BROWSERS; i++) {
    const browser = await launchWithExtension({ extensionDir: PRODUCTION_EXTENSION_DIR });
    try {
      const page = await browser.open('options.html#connection');
      first.push(await msToState(page));
      await page.close();
      for (let j = 0; j < LATER_OPENS; j++) {
        const again = await browser.open('options.html#connection');
        later.push(await msToState(again));
        await again.close();
      }
    } finally {
      await browser.close();
    }
  }
  const firstMs = median(first);
  const laterMs = median(later);
  return {
    'options.connection_shown_ms_first_open': Number(firstMs.toFixed(1)),
    'options.connection_shown_ms_later_open': Number(laterMs.toFixed(1)),
    'options.connection_first_open_ratio_vs_later': Number((firstMs / laterMs).toFixed(2)),
  };
}
