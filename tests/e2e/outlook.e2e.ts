/// <reference types="chrome" />
import type { Locator, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTLOOK_HOSTS } from '../../lib/mail/hosts';
import { readOwaServiceRequest } from '../../lib/mail/outlook/service-request';
import type { DetectedSend } from '../../lib/mail/types';
import { type ExtensionBrowser, launchWithExtension } from './support/browser';
import { extensionScriptsOf } from './support/loaded-scripts';
import { fixturePage, serveMailHosts } from './support/mail-hosts';

const BCC = 'emailtosalesforce@k-1a2b3c.r-9z8y7x.na123.le.salesforce.com';
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Activity {
  key: string;
  provider: string;
  mailbox: string;
  state: string;
  reason?: string;
  subject: string;
  recipients: Array<{ email: string }>;
}

/** One request the page made to OWA's service endpoint, as the extension's own parser reads it. */
interface ServiceCall {
  action: string;
  disposition: unknown;
  sends: DetectedSend[];
  draftIds: string[];
  /** The JSON came in the x-owa-urlpostdata header, with an empty body. */
  inHeader: boolean;
}

/** Exchange's answer: HTTP 200 either way, success or refusal in ResponseClass (as OWA gets it). */
let createdDrafts = 0;
/** `created`: the item a first draft save made, which Exchange names in its answer. */
const answer = (ok: boolean, created?: string) =>
  JSON.stringify({
    Header: { ServerVersionInfo: { MajorVersion: 15 } },
    Body: {
      ResponseMessages: {
        Items: [
          ok
            ? {
                __type: 'ItemInfoResponseMessage:#Exchange',
                ResponseClass: 'Success',
                ResponseCode: 'NoError',
                Items: created
                  ? [{ __type: 'Message:#Exchange', ItemId: { __type: 'ItemId:#Exchange', Id: created, ChangeKey: 'CQAAAA' } }]
                  : [],
              }
            : {
                __type: 'ItemInfoResponseMessage:#Exchange',
                ResponseClass: 'Error',
                ResponseCode: 'ErrorSendAsDenied',
                MessageText: 'Not allowed',
              },
        ],
      },
    },
  });

describe('Outlook on the web: sends, drafts, failures, undo and the BCC recipient, in Chromium with the built extension', () => {
  let browser: ExtensionBrowser;
  let options: Page;
  const calls: ServiceCall[] = [];
  let refuseSends = false;

  const changeSettings = (changes: Record<string, unknown>) =>
    options.evaluate((c) => chrome.runtime.sendMessage({ type: 'settings/change', changes: c }), changes);

  const activities = () =>
    browser.worker.evaluate(
      () =>
        new Promise<Activity[]>((resolve, reject) => {
          const open = indexedDB.open('sales-activity-sync');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains('activities')) {
              db.close();
              return resolve([]);
            }
            const all = db.transaction('activities', 'readonly').objectStore('activities').getAll();
            all.onsuccess = () => {
              db.close();
              resolve(all.result);
            };
          };
        }),
    );
  const activitiesAbout = async (subject: string) => (await activities()).filter((a) => a.subject === subject);
  const sendsAbout = (subject: string) => calls.flatMap((c) => c.sends).filter((s) => s.subject === subject);

  const open = async (url: string): Promise<Page> => {
    const page = await browser.context.newPage();
    await page.goto(url);
    return page;
  };
  const compose = (page: Page) => page.locator('[data-app-section="ComposeForm"]');
  const control = (scope: Locator) => scope.getByRole('button', { name: /Log to Salesforce/ });
  const bccChips = (scope: Locator) =>
    scope.locator('[contenteditable][data-field="bcc"]').locator('[data-lpc-hover-target-id]', { hasText: BCC });

  const addRecipient = async (scope: Locator, label: string, address: string) => {
    await scope.locator(`[contenteditable][aria-label="${label}"]`).click();
    await scope.page().keyboard.type(address);
    await scope.page().keyboard.press('Enter');
    await expect.poll(() => scope.locator(`[aria-label="${label}"] [data-lpc-hover-target-id]`).count()).toBeGreaterThan(0);
  };

  const writeNewMail = async (page: Page, subject: string, labels = { to: 'To', subject: 'Subject', body: 'Message body' }) => {
    await page.click('#newMail');
    const form = compose(page);
    await addRecipient(form, labels.to, 'customer@example.com');
    await form.locator(`input[aria-label="${labels.subject}"]`).fill(subject);
    await form.locator(`[aria-label="${labels.body}"]`).click();
    await page.keyboard.type('Here is the quote.');
    return form;
  };

  /** Waits until the worker has the email, then a little longer, to see that it stays one. */
  const expectLoggedOnce = async (subject: string, messageId?: string) => {
    const rows = async () => (await activitiesAbout(subject)).filter((a) => !messageId || a.key.endsWith(`:${messageId}`));
    await expect.poll(rows, { timeout: 15_000 }).toHaveLength(1);
    await settle(1_500);
    expect(await rows()).toHaveLength(1);
    return (await rows())[0] as Activity;
  };
  /** The id of the last send of that subject the page made (replies share their subject). */
  const lastSendId = (subject: string) => sendsAbout(subject).at(-1)?.messageId;

  beforeAll(async () => {
    browser = await launchWithExtension({ locale: 'en' });
    await serveMailHosts(browser.context, { outlook: fixturePage('outlook-mailbox.html') });
    // Registered last, so it takes OWA's service calls before the catch-all route of serveMailHosts.
    for (const host of OUTLOOK_HOSTS) {
      await browser.context.route(`https://${host}/owa/**`, (route: Route) => {
        const request = route.request();
        // Pages under /owa/ (the classic mailbox address) are served by serveMailHosts.
        if (request.resourceType() === 'document') return route.fallback();
        const url = request.url();
        // Short requests carry their JSON URL-encoded in a header, with an empty body.
        const body = request.postData() || decodeURIComponent(request.headers()['x-owa-urlpostdata'] ?? '');
        const reading = readOwaServiceRequest(url, body);
        let disposition: unknown;
        try {
          disposition = JSON.parse(body)?.Body?.MessageDisposition;
        } catch {
          disposition = undefined;
        }
        calls.push({ action: new URL(url).searchParams.get('action') ?? '', disposition, ...reading, inHeader: !request.postData() });
        const sending = reading.sends.length > 0;
        const created =
          calls.at(-1)?.action === 'CreateItem' && disposition === 'SaveOnly' ? `AAMkSavedDraft${++createdDrafts}` : undefined;
        return route.fulfill({
          status: 200,
          contentType: 'application/json; charset=utf-8',
          body: answer(!(sending && refuseSends), created),
        });
      });
    }
    options = await browser.open('options.html');
  });
  afterAll(() => browser?.close());

  describe('logging through the API', () => {
    beforeAll(async () => {
      await changeSettings({ emailLogging: 'api', undoSendSeconds: 0, composeDefaultOn: true });
    });

    it('logs a new message sent with the Send button once (outlook.office.com)', async () => {
      const page = await open('https://outlook.office.com/mail/inbox');
      const form = await writeNewMail(page, 'Quote 2027');
      await expect.poll(() => control(form).count()).toBe(1);
      await expect.poll(() => control(form).getAttribute('aria-pressed')).toBe('true');
      await form.getByRole('button', { name: 'Send', exact: true }).click();
      const row = await expectLoggedOnce('Quote 2027');
      expect(row).toMatchObject({ provider: 'outlook', mailbox: 'rep@example.com', state: 'queued' });
      expect(row.recipients).toEqual([{ email: 'customer@example.com', name: 'Pat Customer' }]);
      expect(sendsAbout('Quote 2027')).toHaveLength(1);
      await page.close();
    });

    it('does not log a draft save, and logs the saved draft once it is sent with UpdateItem (outlook.office365.com /owa/0/)', async () => {
      const page = await open('https://outlook.office365.com/owa/0/');
      const form = await writeNewMail(page, 'Draft first');
      await form.getByRole('button', { name: 'Save draft' }).click();
      await expect.poll(() => calls.filter((c) => c.disposition === 'SaveOnly').length).toBeGreaterThan(0);
      await settle(1_500);
      expect(await activitiesAbout('Draft first')).toEqual([]);
      // Saved once, the draft is sent by id with UpdateItem.
      await form.getByRole('button', { name: 'Save draft' }).click();
      await form.getByRole('button', { name: 'Send', exact: true }).click();
      const row = await expectLoggedOnce('Draft first');
      expect(row.key).toMatch(/^outlook:rep@example\.com:AAMkSavedDraft\d+$/);
      // The send named the draft and carried no recipient: they came from the draft's first save.
      const sent = calls.filter((c) => c.action === 'UpdateItem' && c.disposition === 'SendAndSaveCopy');
      expect(sent).toHaveLength(1);
      expect(sent[0]?.sends).toEqual([]);
      expect(row.recipients).toEqual([{ email: 'customer@example.com', name: 'Pat Customer' }]);
      await page.close();
    });

    it('logs a send whose request travels in the x-owa-urlpostdata header with an empty body, once', async () => {
      const page = await open('https://outlook.office.com/mail/inbox?urlpostdata=1');
      const form = await writeNewMail(page, 'Short and sweet');
      await form.locator('[data-testid="ComposeSendButton"]').click();
      const row = await expectLoggedOnce('Short and sweet');
      expect(row).toMatchObject({ state: 'queued', mailbox: 'rep@example.com' });
      expect(calls.filter((c) => c.sends.some((m) => m.subject === 'Short and sweet')).map((c) => c.inHeader)).toEqual([true]);
      await page.close();
    });

    it('does not log a send Exchange refused; the rep sending again is logged once', async () => {
      const page = await open('https://outlook.office.com/mail/inbox');
      const form = await writeNewMail(page, 'Refused first');
      refuseSends = true;
      await form.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => form.getByRole('alert').textContent()).toContain('could not be sent');
      await settle(1_500);
      expect(await activitiesAbout('Refused first')).toEqual([]);
      refuseSends = false;
      await form.getByRole('button', { name: 'Send', exact: true }).click();
      await expectLoggedOnce('Refused first');
      expect(sendsAbout('Refused first')).toHaveLength(2);
      await page.close();
    });

    it('does not log an email the rep switched off in its compose, sent with Ctrl+Enter', async () => {
      const page = await open('https://outlook.office.com/mail/inbox');
      const form = await writeNewMail(page, 'Private note');
      await control(form).click();
      await expect.poll(() => control(form).getAttribute('aria-pressed')).toBe('false');
      await form.locator('[aria-label="Message body"]').click();
      await page.keyboard.press('Control+Enter');
      const row = await expectLoggedOnce('Private note');
      expect(row).toMatchObject({ state: 'skipped', reason: 'turnedOff' });
      await page.close();
    });

    it('respects Undo: a reply saved again as a draft within the undo window is not logged (outlook.live.com)', async () => {
      await changeSettings({ undoSendSeconds: 3 });
      const page = await open('https://outlook.live.com/mail/0/inbox');
      await page.click('#reply');
      const reply = page.locator('#inlineReply');
      await reply.locator('[aria-label="Message body"]').click();
      await page.keyboard.type('Sorry, wrong quote.');
      await reply.getByRole('button', { name: 'Send', exact: true }).click();
      // The rep changes their mind a moment later, within the undo window.
      await settle(800);
      await page.click('#undoSend');
      await expect.poll(() => calls.filter((c) => c.action === 'UpdateItem' && c.disposition === 'SaveOnly').length).toBeGreaterThan(0);
      await settle(5_000);
      expect(await activitiesAbout('RE: Quote for next year')).toEqual([]);
      // The same reply, not undone, is logged once its undo window has passed.
      await page.click('#reply');
      await reply.locator('[aria-label="Message body"]').click();
      await page.keyboard.type('Here is the right quote.');
      await reply.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => sendsAbout('RE: Quote for next year')).toHaveLength(2);
      expect(await activitiesAbout('RE: Quote for next year')).toEqual([]);
      await expectLoggedOnce('RE: Quote for next year', lastSendId('RE: Quote for next year'));
      await changeSettings({ undoSendSeconds: 0 });
      await page.close();
    });
  });

  describe('logging by BCC to Email to Salesforce', () => {
    beforeAll(async () => {
      await changeSettings({ emailLogging: 'bcc', bccAddress: BCC, undoSendSeconds: 0 });
    });

    it('adds the address to Bcc once, in a French Outlook, and it goes out in the request (outlook.cloud.microsoft)', async () => {
      const page = await open('https://outlook.cloud.microsoft/mail/inbox?lang=fr');
      const form = await writeNewMail(page, 'Devis 2027', { to: 'À', subject: 'Objet', body: 'Corps du message' });
      await expect.poll(() => bccChips(form).count()).toBe(1);
      await settle(1_000);
      expect(await bccChips(form).count()).toBe(1);
      await form.locator('[aria-label="Corps du message"]').click();
      await page.keyboard.press('Control+Enter');
      const row = await expectLoggedOnce('Devis 2027');
      expect(row).toMatchObject({ state: 'logged', reason: 'bcc' });
      const [sent] = sendsAbout('Devis 2027');
      expect(sent?.bcc.filter((r) => r.email === BCC)).toHaveLength(1);
      await page.close();
    });

    it.each([
      ['ja', { to: '宛先', subject: '件名', body: 'メッセージ本文' }],
      ['de', { to: 'An', subject: 'Betreff', body: 'Nachrichtentext' }],
      // Finnish: no word the extension knows.
      ['fi', { to: 'Vastaanottaja', subject: 'Aihe', body: 'Viestin leipäteksti' }],
    ])('adds the address to Bcc in a %s Outlook, found by structure and test ids, and it goes out in the request', async (lang, labels) => {
      const page = await open(`https://outlook.office.com/mail/inbox?lang=${lang}`);
      const subject = `Angebot 2027 ${lang}`;
      const form = await writeNewMail(page, subject, labels);
      await expect.poll(() => control(form).count()).toBe(1);
      await expect.poll(() => bccChips(form).count()).toBe(1);
      await form.locator('[data-testid="ComposeSendButton"]').click();
      const row = await expectLoggedOnce(subject);
      expect(row).toMatchObject({ state: 'logged', reason: 'bcc' });
      expect(sendsAbout(subject)[0]?.bcc).toEqual([{ email: BCC }]);
      await page.close();
    });

    it('a BCC-mode send whose chip was blocked by the page gets the address added in the request, and is logged by BCC', async () => {
      const page = await open('https://outlook.office.com/mail/inbox?blockBcc=1');
      const form = await writeNewMail(page, 'Chip blocked');
      await expect.poll(() => control(form).count()).toBe(1);
      await expect.poll(() => form.locator('[contenteditable][data-field="bcc"]').count()).toBe(1);
      await settle(1_000);
      expect(await bccChips(form).count()).toBe(0);
      await form.getByRole('button', { name: 'Send', exact: true }).click();
      const row = await expectLoggedOnce('Chip blocked');
      expect(row).toMatchObject({ state: 'logged', reason: 'bcc' });
      // What Exchange received carries the address, once; the compose's own Bcc never showed it.
      expect(sendsAbout('Chip blocked').map((s) => s.bcc)).toEqual([[{ email: BCC }]]);
      await page.close();
    });

    it.each([
      ['de', 'Nachrichtentext'],
      ['fi', 'Viestin leipäteksti'],
    ])('expands a collapsed reading-pane reply to add the address, and the rep goes on typing where they were (%s)', async (lang, body) => {
      await changeSettings({ emailLogging: 'api' });
      const page = await open(`https://outlook.office.com/mail/inbox?lang=${lang}`);
      await page.click('#reply');
      const reply = page.locator('#inlineReply');
      await expect.poll(() => control(reply).count()).toBe(1);
      expect(await reply.locator('[data-field="cc"]').count()).toBe(0);
      await reply.locator(`[aria-label="${body}"]`).click();
      await page.keyboard.type('Guten Tag.');
      await changeSettings({ emailLogging: 'bcc' });
      await expect.poll(() => bccChips(reply).count(), { timeout: 5_000 }).toBe(1);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(body);
      await page.keyboard.type('Anbei das Angebot.');
      expect(await reply.locator(`[aria-label="${body}"]`).textContent()).toBe('Guten Tag.Anbei das Angebot.');
      await reply.locator('[data-testid="ComposeSendButton"]').click();
      await expect.poll(() => sendsAbout('RE: Quote for next year').at(-1)?.bodyHtml).toContain('Anbei das Angebot.');
      expect(sendsAbout('RE: Quote for next year').at(-1)?.bcc).toEqual([{ email: BCC }]);
      await page.close();
    });

    it('respects the rep removing the address by hand, and removes it when the control is switched off', async () => {
      const page = await open('https://outlook.office.com/mail/inbox');
      const form = await writeNewMail(page, 'No copy please');
      await expect.poll(() => bccChips(form).count()).toBe(1);
      // The rep takes it out with the chip's own dismiss button.
      await bccChips(form)
        .locator('xpath=..')
        .getByRole('button', { name: new RegExp(`Remove ${BCC}`) })
        .click();
      await expect.poll(() => bccChips(form).count()).toBe(0);
      await settle(1_500);
      expect(await bccChips(form).count()).toBe(0);
      await expect.poll(() => control(form).getAttribute('aria-pressed')).toBe('false');
      // Switched back on, the address comes back once; switched off, it goes.
      await control(form).click();
      await expect.poll(() => bccChips(form).count()).toBe(1);
      await control(form).click();
      await expect.poll(() => bccChips(form).count()).toBe(0);
      await form.getByRole('button', { name: 'Send', exact: true }).click();
      const row = await expectLoggedOnce('No copy please');
      expect(row).toMatchObject({ state: 'skipped' });
      expect(sendsAbout('No copy please')[0]?.bcc).toEqual([]);
      await page.close();
    });

    it('adds the address to an inline reply in the reading pane (outlook.live.com)', async () => {
      const page = await open('https://outlook.live.com/mail/0/inbox');
      const before = sendsAbout('RE: Quote for next year').length;
      // The rep's tab is in front while they reply (typing into OWA's fields needs a focused page).
      await page.bringToFront();
      await page.click('#reply');
      const reply = page.locator('#inlineReply');
      await expect.poll(() => control(reply).count()).toBe(1);
      // Three passes: the header is expanded, the Bcc field shown, then the address typed.
      await expect.poll(() => bccChips(reply).count(), { timeout: 5_000 }).toBe(1);
      await reply.locator('[aria-label="Message body"]').click();
      await page.keyboard.type('Attached.');
      await reply.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => sendsAbout('RE: Quote for next year')).toHaveLength(before + 1);
      const row = await expectLoggedOnce('RE: Quote for next year', lastSendId('RE: Quote for next year'));
      expect(row).toMatchObject({ state: 'logged', reason: 'bcc' });
      expect(sendsAbout('RE: Quote for next year').at(-1)?.bcc).toEqual([{ email: BCC }]);
      await page.close();
    });

    it('works in a pop-out compose window (outlook.office365.com)', async () => {
      const page = await open('https://outlook.office365.com/mail/compose/AAQkPopOut');
      const form = compose(page);
      await expect.poll(() => bccChips(form).count()).toBe(1);
      await addRecipient(form, 'To', 'buyer@partner.example');
      await form.locator('input[aria-label="Subject"]').fill('From the pop-out');
      await form.getByRole('button', { name: 'Send', exact: true }).click();
      const row = await expectLoggedOnce('From the pop-out');
      expect(row).toMatchObject({ state: 'logged', reason: 'bcc' });
      await page.close();
    });
  });

  it('loads the compose script only once a compose appears, and once for every compose after', async () => {
    const page = await browser.context.newPage();
    const scripts = await extensionScriptsOf(browser.context, page);
    await page.goto('https://outlook.office.com/mail/inbox');
    await expect.poll(() => scripts.paths).toContain('/content-scripts/outlook.js');
    await settle(1_000);
    expect(scripts.paths).not.toContain('/outlook-compose.js');
    await page.click('#newMail');
    await expect.poll(() => control(compose(page)).count()).toBe(1);
    await page.click('#reply');
    await expect.poll(() => control(page.locator('body')).count()).toBe(2);
    expect(scripts.paths.filter((path) => path === '/outlook-compose.js')).toHaveLength(1);
    await scripts.stop();
    await page.close();
  });

  it('logged no console error from any part', () => {
    expect(browser.errors).toEqual([]);
  });
});
