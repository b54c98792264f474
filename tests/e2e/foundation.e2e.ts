/// <reference types="chrome" />
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_EXTENSION_ID } from '../../lib/extension-identity';
import { OUTLOOK_HOSTS } from '../../lib/mail/hosts';
import { type ExtensionBrowser, launchWithExtension } from './support/browser';
import { serveMailHosts } from './support/mail-hosts';

/** Providers of the mail tabs that introduced themselves to the worker since `after`. */
async function providersSeenByWorker(browser: ExtensionBrowser, after: number): Promise<string[]> {
  const tabs = await browser.worker.evaluate(async () => {
    const { mailTabs } = await chrome.storage.session.get('mailTabs');
    return (mailTabs ?? []) as Array<{ provider: string; since: number }>;
  });
  return tabs.filter((t) => t.since >= after).map((t) => t.provider);
}

describe('the built extension in Chromium (English)', () => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    browser = await launchWithExtension({ locale: 'en' });
    await serveMailHosts(browser.context);
  });
  afterAll(() => browser?.close());

  it('starts its worker under the pinned extension id', async () => {
    expect(browser.extensionId).toBe(CHROME_EXTENSION_ID);
    const status = await browser.worker.evaluate(() => chrome.runtime.getManifest().manifest_version);
    expect(status).toBe(3);
  });

  it('renders the popup', async () => {
    const page = await browser.open('popup.html');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Sales Activity Sync');
    // The connection line comes from the worker, whose first settings read waits for Chrome's policy store.
    await expect.poll(() => page.getByText('Not connected to Salesforce').count(), { timeout: 10_000 }).toBe(1);
    await page.close();
  });

  it('renders the options page with its four tabs', async () => {
    const page = await browser.open('options.html');
    const tabs = page.getByRole('tab');
    await expect.poll(() => tabs.allTextContents()).toEqual(['Connection', 'Sync settings', 'Activity', 'About']);
    await page.getByRole('tab', { name: 'About' }).click();
    // The About tab's code loads when it is first opened.
    await expect.poll(() => page.getByRole('tabpanel').textContent()).toContain('Version 0.1.0');
    await page.close();
  });

  it('injects both Gmail scripts, which introduce the tab to the worker', async () => {
    const since = Date.now();
    const page = await browser.open('https://mail.google.com/mail/u/0/#inbox');
    await expect.poll(() => providersSeenByWorker(browser, since)).toEqual(['gmail']);
    await page.close();
  });

  it.each(OUTLOOK_HOSTS)('injects both Outlook scripts on %s', async (host) => {
    const since = Date.now();
    const page = await browser.open(`https://${host}/mail/inbox`);
    await expect.poll(() => providersSeenByWorker(browser, since)).toEqual(['outlook']);
    await page.close();
  });

  it('answers malformed and forbidden messages with clear errors, and keeps serving', async () => {
    const page = await browser.open('options.html');
    const answers = await page.evaluate(async () => {
      const ask = (message: unknown) => chrome.runtime.sendMessage(message);
      return {
        notAnObject: await ask('hello'),
        unknown: await ask({ type: 'constructor' }),
        // Only a content script on a mail page may report a send; an extension page may not.
        wrongSender: await ask({ type: 'mail/sent' }),
        badField: await ask({ type: 'settings/change', changes: 'all' }),
        stillServing: await ask({ type: 'worker/status' }),
      };
    });
    expect(answers.notAnObject).toMatchObject({ ok: false, error: { kind: 'invalidMessage' } });
    expect(answers.unknown).toMatchObject({ ok: false, error: { kind: 'unknownMessage' } });
    expect(answers.wrongSender).toMatchObject({ ok: false, error: { kind: 'forbiddenSender' } });
    expect(answers.badField).toMatchObject({ ok: false, error: { kind: 'invalidMessage' } });
    expect(answers.stillServing).toMatchObject({ ok: true, value: { version: '0.1.0' } });
    await page.close();
  });

  it('keeps the page world away from the extension', async () => {
    const page = await browser.open('https://mail.google.com/mail/u/1/');
    // The isolated content script can message the worker; a script of the page itself cannot.
    const canReach = await page.evaluate(
      () => typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage,
    );
    expect(canReach).not.toBe('function');
    await page.close();
  });

  it('logged no console error from any part', () => {
    expect(browser.errors).toEqual([]);
  });
});

describe('the built extension in Chromium (Japanese)', () => {
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    browser = await launchWithExtension({ locale: 'ja' });
  });
  afterAll(() => browser?.close());

  it('renders the popup and options in Japanese', async () => {
    const popup = await browser.open('popup.html');
    await expect.poll(() => popup.getByText('Salesforce に接続されていません').count(), { timeout: 10_000 }).toBe(1);
    expect(await popup.evaluate(() => document.documentElement.lang)).toMatch(/^ja/);
    const options = await browser.open('options.html');
    await expect
      .poll(() => options.getByRole('tab').allTextContents())
      .toEqual(['接続', '同期設定', 'アクティビティ', 'このアプリについて']);
    expect(browser.errors).toEqual([]);
  });
});
