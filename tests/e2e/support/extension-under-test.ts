/**
 * The built extension in one browser, as the test bodies shared between the Chromium and Firefox
 * suites see it (tests/e2e/shared/). Each browser's adapter (chromium-under-test.ts, and
 * firefox.ts for Firefox) launches it with the fixture mail hosts and gives pages that offer only
 * what Playwright's and Puppeteer's pages have in common.
 */
import type { DriverPage } from './compose';

export interface TestPage extends DriverPage {
  waitForSelector(selector: string, options?: { timeout?: number }): Promise<unknown>;
  screenshot(options: { path: string }): Promise<unknown>;
  close(): Promise<void>;
}

/** How the fixture mail hosts answer: the pages, and Gmail's and Outlook's send calls by request body. */
export interface MailHosts {
  gmail?: string;
  outlook?: string;
  gmailSync?: (body: string) => { status: number; body: string };
  owa?: (body: string) => { status: number; body: string };
}

export interface ExtensionUnderTest {
  browserName: 'chromium' | 'firefox';
  /** identity.getRedirectURL('oauth2') in this browser: the callback the org's connected app lists. */
  redirectUrl: string;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  /** An extension page (`options.html#sync`) or a web address, in a new tab. */
  open(path: string): Promise<TestPage>;
  /** Runs a function in an extension page, with the extension API (`chrome.*`). */
  inExtension<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** Sets the viewport and saves a screenshot; both stores take 1280x800. */
  storeScreenshot(page: TestPage, name: string): Promise<string>;
  close(): Promise<void>;
}

export type LaunchExtension = (options: { locale: 'en' | 'ja'; mail?: MailHosts }) => Promise<ExtensionUnderTest>;
