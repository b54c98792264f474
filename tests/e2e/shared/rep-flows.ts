/// <reference types="chrome" />
/**
 * A rep's day with the built extension, the same in Chromium and Firefox, run by each browser's
 * suite (rep-flows.e2e.ts, ext/rep-flows.ext.ts). It proves what differs underneath
 * (docs/ext.md): the pages render in English and Japanese from the browser's UI language;
 * the sign-in goes through the browser's identity.launchWebAuthFlow and its own redirect URL (the
 * org accepts only that one); sends in the Gmail and Outlook fixture pages reach the background
 * and are logged once; a task's reminder rings through alarms and notifications. It saves the
 * store screenshots (1280x800) of each state on the way.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGmailSyncRequest } from '../../../lib/mail/gmail/sync-request';
import { localDate, type TaskInput } from '../../../lib/tasks/model';
import { type Emulator, type Seed, startEmulator } from '../../emulator';
import { LOGGING_SEED } from '../../unit/outbox/logging-seed';
import { composeInGmail, type DriverPage, sendFromOutlook, textOf } from '../support/compose';
import type { ExtensionUnderTest, LaunchExtension } from '../support/extension-under-test';
import { fixturePage } from '../support/mail-hosts';

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

// Each language's run has its own org, so the same subjects serve both.
const GMAIL_SUBJECT = 'Revised quote for the next quarter';
const OUTLOOK_SUBJECT = 'Rollout schedule';
const REMINDER_SUBJECT = 'Call back Suzuki-san about the quote';

const POPUP_FRAME =
  'html { background: #dfe3e8; } body { margin: 48px auto; width: fit-content; background: #fff; border-radius: 8px; box-shadow: 0 4px 16px rgb(0 0 0 / 0.25); }';

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

const allText = (page: DriverPage, selector: string) =>
  page.evaluate((s) => [...document.querySelectorAll(s)].map((e) => e.textContent?.trim() ?? ''), selector) as Promise<string[]>;

export function defineRepFlows(launch: LaunchExtension) {
  describe.each(['en', 'ja'] as const)('a rep in %s', (lang) => {
    let sf: Emulator;
    let ext: ExtensionUnderTest;
    let sends = 0;
    const tasks = (subject: string) => sf.org.records('Task').filter((t) => t.Subject === `Email: ${subject}`);
    const contact = (email: string) => sf.org.records('Contact').find((c) => String(c.Email).toLowerCase() === email)!;

    beforeAll(async () => {
      ext = await launch({
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
      // Only this browser's own callback for the pinned id is registered: another one fails the sign-in.
      sf = await startEmulator({
        port: 0,
        seed: SEED,
        apps: [{ kind: 'externalClientApp', clientId: 'sales-activity-sync', callbackUrls: [ext.redirectUrl] }],
      });
    });
    afterAll(async () => {
      await ext?.close();
      await sf?.stop();
    });

    it('renders the popup and the options page in the language of the browser', async () => {
      const popup = await ext.open('popup.html');
      await popup.waitForSelector('.connection-summary[data-status="notConnected"]');
      expect(await textOf(popup, '.connection-summary .status')).toBe(TEXT[lang].notConnected);
      expect(await popup.evaluate(() => document.documentElement.lang, '')).toMatch(new RegExp(`^${lang}`));
      await popup.close();
      const options = await ext.open('options.html');
      await options.waitForSelector('[role="tab"]');
      expect(await allText(options, '[role="tab"]')).toEqual(TEXT[lang].tabs);
      await options.close();
    });

    it("connects through the browser's launchWebAuthFlow and its own redirect URL", async () => {
      const options = await ext.open('options.html#connection');
      await options.waitForSelector('.connection-status[data-status="notConnected"]');
      await options.click('input[type="radio"][value="custom"]');
      await options.type('#panel-connection form input[type="text"]', sf.url);
      await options.click('#panel-connection form button[type="submit"]');
      await options.waitForSelector('.connection-status[data-status="connected"]', { timeout: 20_000 });
      expect(sf.control.oauthGrants().authorization_code).toBe(1);
      // No undo window to wait out in these tests (logging.e2e.ts covers it).
      const changes = { emailLogging: 'api', undoSendSeconds: 0, internalDomains: ['acme.com'] };
      expect(await ext.inExtension((c) => chrome.runtime.sendMessage({ type: 'settings/change', changes: c }), changes)).toMatchObject({
        ok: true,
      });
      await expect.poll(() => textOf(options, '.connection-details')).toContain(String(sf.org.defaultUser().Username));
      await ext.storeScreenshot(options, 'connected');
      await options.close();
    });

    it('logs a Gmail send once, as a Task on the contact and their account', async () => {
      const gmail = await ext.open('https://mail.google.com/mail/u/0/#inbox');
      const compose = await composeInGmail(gmail, 'hiroshi.suzuki@sakura-seiki.example', GMAIL_SUBJECT);
      // The compose control asked the background, which asked Salesforce, who the email goes to.
      await expect.poll(compose.status, { timeout: 10_000 }).toContain(TEXT[lang].willLog || '1');
      await ext.storeScreenshot(gmail, 'gmail-compose');
      await compose.send();
      await expect.poll(() => tasks(GMAIL_SUBJECT).length, { timeout: 20_000 }).toBe(1);
      const suzuki = contact('hiroshi.suzuki@sakura-seiki.example');
      expect(tasks(GMAIL_SUBJECT)[0]).toMatchObject({ WhoId: suzuki.Id, WhatId: suzuki.AccountId, TaskSubtype: 'Email' });
      expect(sends).toBe(1);
      await gmail.close();
    });

    it('logs an Outlook send once, the same way', async () => {
      const outlook = await ext.open('https://outlook.office.com/mail/inbox');
      await sendFromOutlook(outlook, 'customer@example.com', OUTLOOK_SUBJECT);
      await expect.poll(() => tasks(OUTLOOK_SUBJECT).length, { timeout: 20_000 }).toBe(1);
      const pat = contact('customer@example.com');
      expect(tasks(OUTLOOK_SUBJECT)[0]).toMatchObject({ WhoId: pat.Id, WhatId: pat.AccountId });
      await outlook.close();
    });

    it('shows both in the Activity tab, logged', async () => {
      const options = await ext.open('options.html#activity');
      await options.waitForSelector('#panel-activity');
      for (const subject of [GMAIL_SUBJECT, OUTLOOK_SUBJECT])
        await expect.poll(() => allText(options, '.activity-row.state-logged')).toContainEqual(expect.stringContaining(subject));
      await ext.storeScreenshot(options, 'activity');
      // Still exactly one Task each: nothing was logged twice while the pages stayed open.
      expect(tasks(GMAIL_SUBJECT)).toHaveLength(1);
      expect(tasks(OUTLOOK_SUBJECT)).toHaveLength(1);
      await options.close();
    });

    it("rings a task's reminder through the browser's alarms and notifications", async () => {
      const remindAt = Date.now() + 3_000;
      const create = (task: Partial<TaskInput>) =>
        ext.inExtension((t) => chrome.runtime.sendMessage({ type: 'tasks/create', task: t }), {
          details: '',
          remindAt: null,
          priority: 'Normal',
          whoId: '',
          whoName: '',
          ...task,
        });
      // Two more of the rep's tasks, for the command center to show beside it.
      await create({ subject: 'Send the signed order form to Globex', dueDate: localDate(Date.now()) });
      await create({ subject: 'Prepare the kickoff deck', dueDate: localDate(Date.now() + 86_400_000) });
      const created = await create({ subject: REMINDER_SUBJECT, dueDate: localDate(remindAt), remindAt, priority: 'High' });
      expect(created).toMatchObject({ ok: true });
      const id = (created as { value: { id: string } }).value.id;
      await expect
        .poll(() => ext.inExtension(() => chrome.notifications.getAll().then((all) => Object.keys(all)), undefined), { timeout: 45_000 }) // Chrome may hold an alarm up to 30 seconds
        .toContain(`task:${id}`);
      const popup = await ext.open('popup.html');
      await expect.poll(() => allText(popup, '.command-center li.task')).toContainEqual(expect.stringContaining(REMINDER_SUBJECT));
      // The popup opens as a panel about 380 pixels wide: shown centred on a plain backdrop, as a panel over the page.
      await popup.evaluate(
        (css) => document.head.append(Object.assign(document.createElement('style'), { textContent: css })),
        POPUP_FRAME,
      );
      await ext.storeScreenshot(popup, 'command-center');
      await popup.close();
    });

    it('logged no console error', () => {
      expect(ext.errors).toEqual([]);
    });
  });
}
