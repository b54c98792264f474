/**
 * The Chromium side of the shared test bodies (tests/e2e/shared/): the built extension in
 * Debian's Chromium through Playwright, with the fixture mail hosts.
 */
import type { Page } from 'playwright-core';
import { CHROME_EXTENSION_ID } from '../../../lib/extension-identity';
import { OUTLOOK_HOSTS } from '../../../lib/mail/hosts';
import { launchWithExtension } from './browser';
import type { LaunchExtension, TestPage } from './extension-under-test';
import { serveMailHosts } from './mail-hosts';
import { STORE_SIZE, storeScreenshotPath } from './store-screenshots';

export const launchChromiumForTest: LaunchExtension = async ({ locale, mail = {} }) => {
  const browser = await launchWithExtension({ locale });
  const { gmailSync, owa } = mail;
  await serveMailHosts(browser.context, {
    gmail: mail.gmail,
    outlook: mail.outlook,
    gmailSync: gmailSync && ((request) => gmailSync(request.postData() ?? '')),
  });
  if (owa)
    for (const host of OUTLOOK_HOSTS)
      await browser.context.route(`https://${host}/owa/**`, (route) =>
        route.request().resourceType() === 'document'
          ? route.fallback()
          : route.fulfill({ contentType: 'application/json; charset=utf-8', ...owa(route.request().postData() ?? '') }),
      );
  // An extension page rather than the worker: a message the worker sends never reaches its own listeners.
  let extensionPage: Page | undefined;
  return {
    browserName: 'chromium',
    redirectUrl: `https://${CHROME_EXTENSION_ID}.chromiumapp.org/oauth2`,
    errors: browser.errors,
    open: (path) => browser.open(path) as Promise<Page & TestPage>,
    async inExtension(fn, arg) {
      extensionPage ??= await browser.open('options.html#about');
      return extensionPage.evaluate(fn as (a: unknown) => unknown, arg as unknown) as never;
    },
    async storeScreenshot(page, state) {
      await (page as Page).setViewportSize(STORE_SIZE);
      const path = storeScreenshotPath('chromium', locale, state);
      await page.screenshot({ path });
      return path;
    },
    close: () => browser.close(),
  };
};
