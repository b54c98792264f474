/// <reference types="chrome" />
/**
 * Logging sent email through the Salesforce API, end to end in Chromium with the built
 * extension: a send from the Gmail and Outlook fixture pages becomes a Task on the right
 * Contact and Account in the org emulator; while Salesforce cannot be reached the email waits
 * and is logged once when it can; the Activity tab shows it, and Retry logs a failed one.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGmailSyncRequest } from '../../lib/mail/gmail/sync-request';
import { OUTLOOK_HOSTS } from '../../lib/mail/hosts';
import { type Emulator, type Seed, startEmulator } from '../emulator';
import { LOGGING_SEED } from '../unit/outbox/logging-seed';
import { type ExtensionBrowser, launchWithExtension } from './support/browser';
import { fixturePage, serveMailHosts } from './support/mail-hosts';
import { composeInGmail, composeInOutlook } from './support/playwright-compose';
import { connectThroughOptions } from './support/salesforce';

const CAPTURED_ID = 'msg-a:r8190137112111191537';
const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');
const capturedAnswer = readFileSync(join(process.cwd(), 'tests/fixtures/mail/gmail/2022-09-09-cvOnSend_response.json'), 'utf8');
const SEED: Seed = {
  ...LOGGING_SEED,
  Contact: [
    ...(LOGGING_SEED.Contact ?? []),
    { FirstName: 'Pat', LastName: 'Customer', AccountId: '@globex', Email: 'customer@example.com' },
  ],
};

interface Activity {
  key: string;
  state: string;
  reason?: string;
  subject: string;
}

const owaAnswer = JSON.stringify({
  Header: { ServerVersionInfo: { MajorVersion: 15 } },
  Body: {
    ResponseMessages: {
      Items: [{ __type: 'ItemInfoResponseMessage:#Exchange', ResponseClass: 'Success', ResponseCode: 'NoError', Items: [] }],
    },
  },
});

describe('logging sent email to Salesforce, in Chromium with the built extension', () => {
  let sf: Emulator;
  let port = 0;
  const dataDir = mkdtempSync(join(tmpdir(), 'sas-logging-e2e-'));
  const dataFile = join(dataDir, 'org.json');
  let browser: ExtensionBrowser;
  let options: Page;
  let sends = 0;

  const tasks = (subject: string) => sf.org.records('Task').filter((t) => t.Subject === `Email: ${subject}`);
  const contact = (email: string) => sf.org.records('Contact').find((c) => String(c.Email).toLowerCase() === email)!;

  const activities = () =>
    browser.worker.evaluate(
      () =>
        new Promise<Activity[]>((resolve, reject) => {
          const open = indexedDB.open('sales-activity-sync');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const all = open.result.transaction('activities', 'readonly').objectStore('activities').getAll();
            all.onsuccess = () => {
              open.result.close();
              resolve(all.result);
            };
          };
        }),
    );
  const activityAbout = async (subject: string) => (await activities()).find((a) => a.subject === subject);

  const sendFromGmail = (to: string, subject: string) => composeInGmail(browser.context, to, subject, 'Here is the quote we discussed.');

  const sendFromOutlook = async (to: string, subject: string) => {
    const { page, send } = await composeInOutlook(browser.context, to, subject, 'Here is the quote.');
    await send();
    return page;
  };

  beforeAll(async () => {
    sf = await startEmulator({ port: 0, seed: SEED, dataFile });
    port = sf.port;
    browser = await launchWithExtension({ locale: 'en' });
    await serveMailHosts(browser.context, {
      gmail: fixturePage('gmail-compose.html'),
      outlook: fixturePage('outlook-mailbox.html'),
      gmailSync: (request) => {
        const sent = readGmailSyncRequest(request.postData() ?? '').sends[0];
        if (sent) sends++;
        return { status: 200, body: sent ? capturedAnswer.replaceAll(CAPTURED_ID, sent.messageId) : capturedAnswer };
      },
    });
    for (const host of OUTLOOK_HOSTS) {
      await browser.context.route(`https://${host}/owa/**`, (route: Route) =>
        route.request().resourceType() === 'document'
          ? route.fallback()
          : route.fulfill({ status: 200, contentType: 'application/json; charset=utf-8', body: owaAnswer }),
      );
    }
    options = await connectThroughOptions(browser, sf);
    await options.evaluate(() =>
      chrome.runtime.sendMessage({
        type: 'settings/change',
        changes: { emailLogging: 'api', undoSendSeconds: 0, composeDefaultOn: true, internalDomains: ['acme.com'] },
      }),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await sf?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs an email sent from Gmail as one Task on the contact and their account, after showing who it goes to', async () => {
    const { page, compose, send } = await sendFromGmail('hiroshi.suzuki@sakura-seiki.example', 'E2E Gmail quote');
    // The compose control asked the worker, which asked Salesforce, who this email goes to.
    await expect.poll(() => compose.getByRole('status').textContent(), { timeout: 10_000 }).toContain('Will log to contacts: 1, leads: 0.');
    await send();
    await expect.poll(() => tasks('E2E Gmail quote').length, { timeout: 20_000 }).toBe(1);
    const suzuki = contact('hiroshi.suzuki@sakura-seiki.example');
    expect(tasks('E2E Gmail quote')[0]).toMatchObject({
      WhoId: suzuki.Id,
      WhatId: suzuki.AccountId,
      TaskSubtype: 'Email',
      Status: 'Completed',
    });
    await expect.poll(async () => (await activityAbout('E2E Gmail quote'))?.state).toBe('logged');
    await page.close();
  });

  it('logs an email sent from Outlook on the web the same way', async () => {
    const page = await sendFromOutlook('customer@example.com', 'E2E Outlook quote');
    await expect.poll(() => tasks('E2E Outlook quote').length, { timeout: 20_000 }).toBe(1);
    const pat = contact('customer@example.com');
    expect(tasks('E2E Outlook quote')[0]).toMatchObject({ WhoId: pat.Id, WhatId: pat.AccountId });
    await page.close();
  });

  it('keeps an email while Salesforce cannot be reached, then logs it once when it can', async () => {
    await sf.stop();
    const { page, send } = await sendFromGmail('misaki.takahashi@sakura-seiki.example', 'E2E while offline');
    await send();
    await expect.poll(async () => (await activityAbout('E2E while offline'))?.reason, { timeout: 20_000 }).toBe('offline');
    expect((await activityAbout('E2E while offline'))?.state).toBe('queued');
    // Salesforce is back (the same org, on the same address), and so is the network.
    sf = await startEmulator({ port, dataFile });
    await browser.context.setOffline(true);
    await browser.context.setOffline(false);
    await expect.poll(async () => (await activityAbout('E2E while offline'))?.state, { timeout: 45_000 }).toBe('logged');
    expect(tasks('E2E while offline')).toHaveLength(1);
    expect(tasks('E2E while offline')[0]?.WhoId).toBe(contact('misaki.takahashi@sakura-seiki.example').Id);
    await page.close();
  });

  it('shows logged email in the Activity tab, linked to Salesforce, and Retry logs a failed one', async () => {
    const { page, compose, send } = await sendFromGmail("liam.o'brien@globex.example", 'E2E refused');
    await expect.poll(() => compose.getByRole('status').textContent(), { timeout: 10_000 }).toContain('Will log to contacts: 1,');
    // The org's validation rule refuses the next write.
    sf.control.fault({
      method: 'POST',
      path: '/composite',
      status: 400,
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'Quotes need approval',
    });
    await send();
    await expect.poll(async () => (await activityAbout('E2E refused'))?.state, { timeout: 20_000 }).toBe('failed');
    expect(tasks('E2E refused')).toHaveLength(0);

    await options.goto(options.url().replace(/#.*$/, '#activity'));
    const row = (subject: string) => options.getByRole('row').filter({ hasText: subject });
    await expect.poll(() => row('E2E Gmail quote').textContent()).toContain('Logged');
    const link = row('E2E Gmail quote').getByRole('link', { name: /鈴木/ });
    expect(await link.getAttribute('href')).toBe(`${sf.url}/${contact('hiroshi.suzuki@sakura-seiki.example').Id}`);
    await expect.poll(() => row('E2E refused').textContent()).toContain('Quotes need approval');
    await expect.poll(() => options.getByRole('status').textContent()).toContain('1 failed');

    await row('E2E refused').getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => row('E2E refused').textContent(), { timeout: 20_000 }).toContain('Logged');
    expect(tasks('E2E refused')).toHaveLength(1);
    // Three sends from Gmail, each logged once.
    expect(sends).toBe(3);
    await page.close();
  });

  it('logs to the existing contact when Salesforce refuses a new lead as a duplicate, and the Activity tab says so', async () => {
    await options.evaluate(() => chrome.runtime.sendMessage({ type: 'settings/change', changes: { noMatch: 'createLead' } }));
    // Known to Salesforce under another address: the Standard Lead Duplicate Rule refuses a new lead for her.
    const prospect = sf.org.records('Account').find((a) => a.Name === 'Prospect Industries KK')!.Id;
    const { kaito } = sf.control.addRecords({
      Contact: [{ '@ref': 'kaito', FirstName: 'Kaito', LastName: 'Ono', AccountId: prospect, Email: 'k.ono@prospect-industries.example' }],
    }) as { kaito: string };
    const { page, send } = await sendFromGmail('kaito.ono@prospect-industries.example', 'E2E duplicate lead');
    await send();
    await expect.poll(async () => (await activityAbout('E2E duplicate lead'))?.state, { timeout: 30_000 }).toBe('logged');
    expect(tasks('E2E duplicate lead').map((t) => t.WhoId)).toEqual([kaito]);
    expect(sf.org.records('Lead').filter((l) => l.Email === 'kaito.ono@prospect-industries.example')).toHaveLength(0);

    await options.goto(options.url().replace(/#.*$/, '#activity'));
    const row = options.getByRole('row').filter({ hasText: 'E2E duplicate lead' });
    await expect
      .poll(() => row.textContent())
      .toContain(
        "Salesforce's duplicate rule found kaito.ono@prospect-industries.example similar to Kaito Ono: logged to Kaito Ono instead of a new lead.",
      );
    mkdirSync(SCREENSHOTS, { recursive: true });
    await options.screenshot({ path: join(SCREENSHOTS, 'en-activity-duplicate-lead.png'), fullPage: true });
    await options.evaluate(() => chrome.runtime.sendMessage({ type: 'settings/change', changes: { noMatch: 'unresolved' } }));
    await page.close();
  });

  it('logged no console error from any part', () => {
    // The worker reports the unreachable org while it was stopped; nothing else may fail.
    expect(browser.errors.filter((e) => !/Failed to fetch|ERR_CONNECTION_REFUSED|net::ERR/.test(e))).toEqual([]);
  });
});
