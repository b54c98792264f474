/**
 * Connecting the built extension to the org emulator the way a rep does: the options page's
 * Connection tab with the emulator as the custom domain (loopback is allowed in the e2e build).
 */
import type { Page } from 'playwright-core';
import type { Emulator } from '../../emulator';
import type { ExtensionBrowser } from './browser';

export async function connectThroughOptions(browser: ExtensionBrowser, sf: Pick<Emulator, 'url'>): Promise<Page> {
  const options = await browser.open('options.html#connection');
  await options.getByRole('radio', { name: 'Custom domain (My Domain)' }).check();
  await options.getByLabel('My Domain URL').fill(sf.url);
  await options.getByRole('button', { name: 'Connect to Salesforce' }).click();
  await options.locator('.connection-status[data-status="connected"]').waitFor({ timeout: 20_000 });
  return options;
}
