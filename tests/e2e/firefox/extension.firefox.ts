/**
 * The built Firefox add-on in Debian's Firefox ESR, where Firefox differs from Chromium
 * (docs/firefox.md): the pages render in English and Japanese from Firefox's own UI language;
 * the sign-in goes through Firefox's identity.launchWebAuthFlow and its redirect URL; sends in
 * the Gmail and Outlook fixture pages reach the event-page background and are logged once; a
 * task's reminder rings through Firefox's alarms and notifications. It saves the store
 * screenshots (1280x800) of each state on the way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGmailSyncRequest } from '../../../lib/mail/gmail/sync-request';
import { localDate } from '../../../lib/tasks/model';
import { type Emulator, type Seed, startEmulator } from '../../emulator';
import { LOGGING_SEED } from '../../unit/outbox/logging-seed';
import { composeInGmail, sendFromOutlook, textOf } from '../support/compose';
import { type FirefoxExtension, launchFirefoxWithExtension } from '../support/firefox';
import { fixturePage } from '../support/mail-hosts';
import { storeScreenshot } from '../support/store-screenshots';

/** The extension API inside extension pages, where the functions given to inExtension run. */
declare const browser: typeof import('wxt/browser').browser;

/** identity.getRedirectURL('oauth2') of the pinned add-on id: the SHA-1 of the id, under extensions.allizom.org. */
const FIREFOX_REDIRECT_URL = 'https://0afce2b68deb4711c80150de359f78f342f40e2a.extensions.allizom.org/oauth2';

const CAPTURED_ID = 'msg-a:r8190137112111191537';
const capturedAnswer = readFileSync(join(process.cwd(), 'tests/fixtures/mail/gmail/2022-09-09-cvOnSend_response.json'), 'utf8');
const owaAnswer = JSON.stringify({
  Header: { ServerVersionInfo: { MajorVersion: 15 } },
  Body: {
    ResponseMessages: {
      Items: [{ __type: 'ItemInfoResponseMessage:#Exchange', ResponseClass: 'Success', ResponseCode: 'NoError', Items: [] }],
    },
  },
});
const SEED: Seed = {
  ...LOGGING_SEED,
  Contact: [
    ...(LOGGING_SEED.Contact ?? []),
    { FirstName: 'Pat', LastName: 'Customer', AccountId: '@globex', Email: 'customer@example.com' },
  ],
};

const TEXT = {
  en: {
    notConnected: 'Not connected to Salesforce',
    tabs: ['Connection', 'Sync settings', 'Activity', 'About'],
    willLog: 'Will log to contacts: 1, leads: 0.',
  },
  ja: {
    notConnected: 'Salesforce に接続されていません',
    tabs: ['接続', '同期設定', 'アクティビティ', 'このアプリについて'],
    willLog: '',
  },
} as const;

const allText = (page: Page, selector: string) =>
  page.evaluate((s) => [...document.querySelectorAll(s)].map((e) => e.textContent?.trim() ?? ''), selector);

describe.each(['en', 'ja'] as const)('the Firefox add-on in %s', (lang) => {
  let sf: Emulator;
  let firefox: FirefoxExtension;
  let sends = 0;
  const tasks = (subject: string) => sf.org.records('Task').filter((t) => t.Subject === `Email: ${subject}`);
  const contact = (email: string) => sf.org.records('Contact').find((c) => String(c.Email).toLowerCase() === email)!;

  beforeAll(async () => {
    // Only Firefox's own callback for the pinned add-on id is registered: another one fails the sign-in.
    sf = await startEmulator({
      port: 0,
      seed: SEED,
      apps: [{ kind: 'externalClientApp', clientId: 'sales-activity-sync', callbackUrls: [FIREFOX_REDIRECT_URL] }],
    });
    firefox = await launchFirefoxWithExtension({
      locale: lang,
      mail: {
        gmail: fixturePage('gmail-compose.html'),
        outlook: fixturePage('outlook-mailbox.html'),
        gmailSync: (body) => {
          const sent = readGmailSyncRequest(body).sends[0];
          if (sent) sends++;
          return { status: 200, body: sent ? capturedAnswer.replaceAll(CAPTURED_ID, sent.messageId) : capturedAnswer };
        },
        owa: () => ({ status: 200, body: owaAnswer }),
      },
    });
  });
  afterAll(async () => {
    await firefox?.close();
    await sf?.stop();
  });

  it('renders the popup and the options page in the language of Firefox', async () => {
    const popup = await firefox.open('popup.html');
    await popup.waitForSelector('.connection-summary[data-status="notConnected"]');
    expect(await textOf(popup, '.connection-summary .status')).toBe(TEXT[lang].notConnected);
    expect(await popup.evaluate(() => document.documentElement.lang)).toMatch(new RegExp(`^${lang}`));
    await popup.close();
    const options = await firefox.open('options.html');
    await options.waitForSelector('[role="tab"]');
    expect(await allText(options, '[role="tab"]')).toEqual(TEXT[lang].tabs);
    await options.close();
  });

  it("connects through Firefox's launchWebAuthFlow and its redirect URL", async () => {
    const options = await firefox.open('options.html#connection');
    await options.waitForSelector('.connection-status[data-status="notConnected"]');
    await options.click('input[type="radio"][value="custom"]');
    await options.type('#panel-connection form input[type="text"]', sf.url);
    await options.click('#panel-connection form button[type="submit"]');
    await options.waitForSelector('.connection-status[data-status="connected"]', { timeout: 20_000 });
    expect(sf.control.oauthGrants().authorization_code).toBe(1);
    // No undo window to wait out in these tests (Chromium's suite covers it).
    expect(
      await options.evaluate(() =>
        browser.runtime.sendMessage({
          type: 'settings/change',
          changes: { emailLogging: 'api', undoSendSeconds: 0, internalDomains: ['acme.com'] },
        }),
      ),
    ).toMatchObject({ ok: true });
    await expect.poll(() => textOf(options, '.connection-details')).toContain(String(sf.org.defaultUser().Username));
    await storeScreenshot(options, 'firefox', lang, 'connected');
    await options.close();
  });

  it('logs a Gmail send once, as a Task on the contact and their account', async () => {
    const gmail = await firefox.open('https://mail.google.com/mail/u/0/#inbox');
    const compose = await composeInGmail(gmail, 'hiroshi.suzuki@sakura-seiki.example', `FF Gmail quote ${lang}`);
    // The compose control asked the background, which asked Salesforce, who the email goes to.
    await expect.poll(compose.status, { timeout: 10_000 }).toContain(TEXT[lang].willLog || '1');
    await storeScreenshot(gmail, 'firefox', lang, 'gmail-compose');
    await compose.send();
    await expect.poll(() => tasks(`FF Gmail quote ${lang}`).length, { timeout: 20_000 }).toBe(1);
    const suzuki = contact('hiroshi.suzuki@sakura-seiki.example');
    expect(tasks(`FF Gmail quote ${lang}`)[0]).toMatchObject({ WhoId: suzuki.Id, WhatId: suzuki.AccountId, TaskSubtype: 'Email' });
    expect(sends).toBe(1);
    await gmail.close();
  });

  it('logs an Outlook send once, the same way', async () => {
    const outlook = await firefox.open('https://outlook.office.com/mail/inbox');
    await sendFromOutlook(outlook, 'customer@example.com', `FF Outlook quote ${lang}`);
    await expect.poll(() => tasks(`FF Outlook quote ${lang}`).length, { timeout: 20_000 }).toBe(1);
    const pat = contact('customer@example.com');
    expect(tasks(`FF Outlook quote ${lang}`)[0]).toMatchObject({ WhoId: pat.Id, WhatId: pat.AccountId });
    await outlook.close();
  });

  it('shows both in the Activity tab, logged', async () => {
    const options = await firefox.open('options.html#activity');
    await options.waitForSelector('#panel-activity');
    for (const subject of [`FF Gmail quote ${lang}`, `FF Outlook quote ${lang}`])
      await expect.poll(() => allText(options, '.activity-row.state-logged')).toContainEqual(expect.stringContaining(subject));
    await storeScreenshot(options, 'firefox', lang, 'activity');
    // Still exactly one Task each: nothing was logged twice while the pages stayed open.
    expect(tasks(`FF Gmail quote ${lang}`)).toHaveLength(1);
    expect(tasks(`FF Outlook quote ${lang}`)).toHaveLength(1);
    await options.close();
  });

  it("rings a task's reminder through Firefox's alarms and notifications", async () => {
    const remindAt = Date.now() + 3_000;
    const created = await firefox.inExtension((task) => browser.runtime.sendMessage({ type: 'tasks/create', task }), {
      subject: `Call back Suzuki-san ${lang}`,
      details: '',
      dueDate: localDate(remindAt),
      remindAt,
      priority: 'High',
      whoId: '',
      whoName: '',
    });
    expect(created).toMatchObject({ ok: true });
    const id = (created as { value: { id: string } }).value.id;
    await expect
      .poll(() => firefox.inExtension(() => browser.notifications.getAll().then((all) => Object.keys(all))), { timeout: 30_000 })
      .toContain(`task:${id}`);
    const popup = await firefox.open('popup.html');
    await expect
      .poll(() => allText(popup, '.command-center li.task'))
      .toContainEqual(expect.stringContaining(`Call back Suzuki-san ${lang}`));
    await storeScreenshot(popup, 'firefox', lang, 'command-center');
    await popup.close();
  });

  it('logged no console error in any page', () => {
    expect(firefox.errors).toEqual([]);
  });
});
