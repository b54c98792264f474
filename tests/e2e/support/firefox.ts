/**
 * Firefox-only setup for the end-to-end suite: Debian's Firefox ESR driven by puppeteer-core
 * over WebDriver BiDi, with the built extension installed as a temporary add-on (BiDi's
 * webExtension.install, as about:debugging does), the mail hosts served from the fixture pages,
 * and a real policies.json for the admin-policy test. What differs from Chromium, and why, is in
 * docs/firefox.md.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';
import { FIREFOX_ADDON_ID } from '../../../lib/extension-identity';
import { OUTLOOK_HOSTS } from '../../../lib/mail/hosts';
import type { ExtensionUnderTest, LaunchExtension, MailHosts } from './extension-under-test';
import { fixtureFile } from './mail-hosts';
import { OUT_BASE } from './paths';
import { STORE_SIZE, storeScreenshotPath } from './store-screenshots';

export const FIREFOX_EXTENSION_DIR = join(OUT_BASE, 'firefox-mv3-e2e');

/**
 * The moz-extension:// host of the add-on. Firefox picks a random one per profile; the
 * `extensions.webextensions.uuids` pref pins it so tests can open the extension's pages.
 */
export const FIREFOX_EXTENSION_UUID = '5a1e5ac7-0000-4000-8000-5a1e5ac75a1e';
const EXTENSION_ORIGIN = `moz-extension://${FIREFOX_EXTENSION_UUID}`;

/**
 * The policies.json an administrator deploys on Linux. Debian's firefox-esr reads this one first
 * and otherwise the installation's distribution/policies.json, but not /etc/firefox-esr/policies
 * (checked with Firefox ESR 153, docs/firefox.md).
 */
export const FIREFOX_POLICY_FILE = '/etc/firefox/policies/policies.json';

/** Debian's Firefox ESR (the /usr/bin/firefox-esr wrapper only execs it); FIREFOX_PATH overrides. */
export function firefoxPath(): string {
  const candidates = [process.env.FIREFOX_PATH, '/usr/lib/firefox-esr/firefox-esr', '/usr/bin/firefox-esr'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('Firefox ESR is not installed: run `apt-get install firefox-esr` (Debian) or set FIREFOX_PATH');
  return found;
}

/** How a fixture mail host answers one request. */
interface MailAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface FirefoxExtension extends ExtensionUnderTest {
  browser: Browser;
  open(path: string): Promise<Page>;
}

export interface FirefoxLaunchOptions {
  locale?: 'en' | 'ja';
  mail?: MailHosts;
}

const MAIL_HOSTS = new Set(['mail.google.com', ...OUTLOOK_HOSTS]);

async function answerMailRequest(request: HTTPRequest, mail: MailHosts): Promise<MailAnswer | null> {
  const url = new URL(request.url());
  if (!MAIL_HOSTS.has(url.host)) return null;
  const gmail = url.host === 'mail.google.com';
  if (request.isNavigationRequest()) {
    const page = gmail ? mail.gmail : mail.outlook;
    return { status: 200, contentType: 'text/html', body: page ?? '<!doctype html><title>Mail</title>' };
  }
  const file = fixtureFile(url.pathname);
  if (file) return { status: 200, ...file };
  const handler = gmail
    ? url.pathname.startsWith('/sync/')
      ? mail.gmailSync
      : undefined
    : url.pathname.startsWith('/owa/')
      ? mail.owa
      : undefined;
  if (handler) return { contentType: 'application/json; charset=utf-8', ...handler((await request.fetchPostData()) ?? '') };
  return { status: 204, contentType: 'text/plain', body: '' };
}

export async function launchFirefoxWithExtension(options: FirefoxLaunchOptions = {}): Promise<FirefoxExtension> {
  const locale = options.locale ?? 'en';
  const mail = options.mail ?? {};
  const profile = mkdtempSync(join(tmpdir(), 'sas-firefox-e2e-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: firefoxPath(),
    headless: true,
    userDataDir: profile,
    // Lets WebDriver BiDi open moz-extension:// pages, which it refuses to navigate to otherwise.
    args: ['--remote-allow-system-access'],
    env: { ...process.env, LANG: locale === 'ja' ? 'ja_JP.UTF-8' : 'en_US.UTF-8', LANGUAGE: locale },
    extraPrefsFirefox: {
      // The extension's i18n follows Firefox's UI language (Japanese needs the firefox-esr-l10n-ja langpack).
      'intl.locale.requested': locale === 'ja' ? 'ja' : 'en-US',
      // Without a desktop notification service (a headless machine), Firefox's own alert window shows reminders.
      'alerts.useSystemBackend': false,
      // Firefox stops an idle event page after 30 s; 2 s makes every test meet a stopped one
      // (tests/e2e/firefox/event-page.firefox.ts).
      'extensions.background.idle.timeout': 2000,
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_EXTENSION_UUID }),
    },
  });
  const errors: string[] = [];
  // The background has no handle over BiDi; Firefox prints its uncaught errors on its own output.
  const backgroundErrors = new RegExp(`^JavaScript error: ${EXTENSION_ORIGIN}/background\\.js.*$`, 'gm');
  const child = browser.process();
  for (const stream of [child?.stdout, child?.stderr])
    stream?.on('data', (chunk) => {
      for (const [line] of String(chunk).matchAll(backgroundErrors)) errors.push(`background: ${line}`);
    });
  try {
    const id = await browser.installExtension(FIREFOX_EXTENSION_DIR);
    if (id !== FIREFOX_ADDON_ID) throw new Error(`Firefox installed the add-on as ${id}, not ${FIREFOX_ADDON_ID}`);
  } catch (error) {
    await browser.close();
    throw error;
  }

  const watch = (page: Page) => {
    page.on('console', (m) => m.type() === 'error' && errors.push(`${page.url()}: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e instanceof Error ? e.message : String(e)}`));
  };

  async function open(path: string): Promise<Page> {
    const page = await browser.newPage();
    watch(page);
    if (path.startsWith('http')) {
      await page.setRequestInterception(true);
      page.on('request', async (request) => {
        const answer = await answerMailRequest(request, mail);
        await (answer ? request.respond(answer) : request.continue());
      });
      await page.goto(path);
      return page;
    }
    // Puppeteer's goto waits for navigation events BiDi does not send for moz-extension pages
    // (the page moves to the extension process); BiDi's own navigate waits for the load.
    const url = `${EXTENSION_ORIGIN}/${path.replace(/^\//, '')}`;
    await (
      page.mainFrame() as unknown as { browsingContext: { navigate(u: string, wait: string): Promise<unknown> } }
    ).browsingContext.navigate(url, 'complete');
    await page.waitForFunction(() => document.readyState === 'complete');
    return page;
  }

  let extensionPage: Page | undefined;
  return {
    browserName: 'firefox',
    // The README's callback for Firefox: the SHA-1 of the add-on id, in hex (docs/firefox.md).
    redirectUrl: 'https://0afce2b68deb4711c80150de359f78f342f40e2a.extensions.allizom.org/oauth2',
    browser,
    errors,
    open,
    async inExtension(fn, arg) {
      extensionPage ??= await open('options.html#about');
      return extensionPage.evaluate(fn as (a: unknown) => unknown, arg) as never;
    },
    async storeScreenshot(page, state) {
      await (page as Page).setViewport(STORE_SIZE);
      const path = storeScreenshotPath('firefox', locale, state);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const launchFirefoxForTest: LaunchExtension = (options) => launchFirefoxWithExtension(options);

export interface InstalledFirefoxPolicy {
  remove(): void;
}

/**
 * Writes policies.json with the extension's policy under "3rdparty" > "Extensions" > the add-on
 * id, as an administrator deploys it. The file is machine-wide: it lives only while a test needs
 * it and is removed, with any folder this created, even when the run is cut short.
 */
export function installFirefoxPolicy(policy: unknown, file = FIREFOX_POLICY_FILE): InstalledFirefoxPolicy {
  if (existsSync(file)) throw new Error(`${file} exists already; not overwriting a policy this machine has`);
  const created: string[] = [];
  for (let dir = dirname(file); !existsSync(dir); dir = dirname(dir)) created.unshift(dir);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ policies: { '3rdparty': { Extensions: { [FIREFOX_ADDON_ID]: policy } } } }, null, 2));
  const onExit = () => remove();
  function remove() {
    rmSync(file, { force: true });
    for (const dir of [...created].reverse()) if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
    process.off('exit', onExit);
  }
  process.on('exit', onExit);
  return { remove };
}
