/**
 * Launches Debian's Chromium with the freshly built extension, the way a rep's browser runs it,
 * and collects every console error from the worker and pages so tests can assert there are none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';
import { chromiumPath, E2E_EXTENSION_DIR } from './paths';

export interface ExtensionBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** Console errors and uncaught exceptions seen so far, from any page or the worker. */
  errors: string[];
  open(path: string): Promise<Page>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Browser UI language, which the extension's i18n follows. */
  locale?: 'en' | 'ja';
  extensionDir?: string;
  /** Defaults to true; the demo opens a visible window. */
  headless?: boolean;
  /**
   * 'atLaunch' (the default) loads the extension as the browser starts. 'whileRunning' starts the
   * browser with a page open first and installs the extension into it, as a rep installs it from
   * the store: the browser is warm, the extension's scripts have no code cache yet.
   */
  install?: 'atLaunch' | 'whileRunning';
}

export async function launchWithExtension(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  const locale = options.locale ?? 'en';
  const extensionDir = options.extensionDir ?? E2E_EXTENSION_DIR;
  const whileRunning = options.install === 'whileRunning';
  const userDataDir = mkdtempSync(join(tmpdir(), 'sas-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: options.headless ?? true,
    locale,
    env: { ...process.env, LANGUAGE: locale, LANG: locale === 'ja' ? 'ja_JP.UTF-8' : 'en_US.UTF-8' },
    // Playwright starts Chromium with extensions disabled unless one is loaded at launch.
    ...(whileRunning ? { ignoreDefaultArgs: ['--disable-extensions'] } : {}),
    args: [
      // CDP's Extensions.loadUnpacked is only offered with this switch.
      ...(whileRunning
        ? ['--enable-unsafe-extension-debugging']
        : [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`]),
      `--lang=${locale}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const errors: string[] = [];
  const watchPage = (page: Page) => {
    page.on('console', (m) => m.type() === 'error' && errors.push(`${page.url()}: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  };
  context.on('page', watchPage);
  for (const page of context.pages()) watchPage(page);

  const worker = whileRunning
    ? await installInto(context, extensionDir)
    : (context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker')));
  worker.on('console', (m) => m.type() === 'error' && errors.push(`worker: ${m.text()}`));
  const extensionId = new URL(worker.url()).host;

  return {
    context,
    worker,
    extensionId,
    errors,
    async open(path: string) {
      const page = await context.newPage();
      await page.goto(path.startsWith('http') ? path : `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`);
      return page;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Installs the unpacked extension into the running browser, after a page has drawn, and returns its worker. */
async function installInto(context: BrowserContext, extensionDir: string): Promise<Worker> {
  const tab = context.pages()[0] ?? (await context.newPage());
  await tab.setContent('<p>Inbox</p>');
  const browser = context.browser();
  if (!browser) throw new Error('The persistent context has no browser to install the extension into');
  const cdp = await browser.newBrowserCDPSession();
  const { id } = await cdp.send('Extensions.loadUnpacked', { path: extensionDir });
  const ofThisExtension = (w: Worker) => new URL(w.url()).host === id;
  // Checked and waited for in the same turn, so a worker that started meanwhile is in the list.
  const worker =
    context.serviceWorkers().find(ofThisExtension) ?? (await context.waitForEvent('serviceworker', { predicate: ofThisExtension }));
  await cdp.detach();
  return worker;
}
