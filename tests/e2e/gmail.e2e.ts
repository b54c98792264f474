/// <reference types="chrome" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readGmailSyncRequest } from '../../lib/mail/gmail/sync-request';
import type { DetectedSend } from '../../lib/mail/types';
import { type ExtensionBrowser, launchWithExtension } from './support/browser';
import { extensionScriptsOf } from './support/loaded-scripts';
import { fixturePage, serveMailHosts } from './support/mail-hosts';

const BCC = 'emailtosalesforce@k-1a2b3c.r-9z8y7x.na123.le.salesforce.com';
const CAPTURED_ID = 'msg-a:r8190137112111191537';
const capturedAnswer = readFileSync(join(process.cwd(), 'tests/fixtures/mail/gmail/2022-09-09-cvOnSend_response.json'), 'utf8');
/** The extension's undo window in these tests; the hand-off adds a one-second grace. */
const UNDO_SECONDS = 1;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Activity {
  key: string;
  state: string;
  reason?: string;
  subject: string;
  recipients: Array<{ email: string }>;
}

describe('Gmail: sends, undo, drafts and the BCC chip, in Chromium with the built extension', () => {
  let browser: ExtensionBrowser;
  let options: Page;
  let page: Page;
  /** Every /sync request the page made: its body, parsed. */
  const syncCalls: Array<{ sends: DetectedSend[]; draftIds: string[] }> = [];
  let failSends = false;

  const changeSettings = (changes: Record<string, unknown>) =>
    options.evaluate((c) => chrome.runtime.sendMessage({ type: 'settings/change', changes: c }), changes);

  // Read through the options page: the worker may be stopped (cold start tests) or replaced (reload).
  const stored = () =>
    options.evaluate(
      () =>
        new Promise<{ activities: Activity[]; outbox: Array<{ key: string; payload: { bcc: unknown[]; to: unknown[] } }> }>(
          (resolve, reject) => {
            const open = indexedDB.open('sales-activity-sync');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const db = open.result;
              const tx = db.transaction(['activities', 'outbox'], 'readonly');
              const activities = tx.objectStore('activities').getAll();
              const outbox = tx.objectStore('outbox').getAll();
              tx.oncomplete = () => {
                db.close();
                resolve({ activities: activities.result, outbox: outbox.result });
              };
            };
          },
        ),
    );
  const activityFor = async (messageId: string) => (await stored()).activities.filter((a) => a.key.endsWith(`:${messageId}`));

  const openMailbox = async () => {
    page = await browser.context.newPage();
    await page.goto('https://mail.google.com/mail/u/0/#inbox');
    await page.evaluate(() => (window as unknown as { __gmailFixture: { ready: Promise<unknown> } }).__gmailFixture.ready);
  };
  const dialog = () => page.locator('[role="dialog"]').last();
  const control = (scope = dialog()) => scope.getByRole('button', { name: /Log to Salesforce/ });
  const bccChips = (scope = dialog()) => scope.locator(`[name="bcc"] [role="option"][data-hovercard-id="${BCC}"]`);
  const draftIdOf = async (scope = dialog()) => ((await scope.locator('input[name="draft"]').inputValue()) ?? '').slice(1);

  const writeEmail = async (to: string, subject: string) => {
    await page.click('#compose-button');
    const compose = dialog();
    await compose.locator('[name="to"] input').fill(to);
    await compose.locator('[name="to"] input').press('Enter');
    await compose.locator('input[name="subjectbox"]').fill(subject);
    await compose.locator('[role="textbox"]').fill('Here is the quote.');
    return compose;
  };

  beforeAll(async () => {
    browser = await launchWithExtension({ locale: 'en' });
    await serveMailHosts(browser.context, {
      gmail: fixturePage('gmail-compose.html'),
      gmailSync: (request) => {
        const body = request.postData() ?? '';
        const reading = readGmailSyncRequest(body);
        syncCalls.push(reading);
        const sent = reading.sends[0];
        if (sent && failSends) return { status: 500, body: '[]' };
        // Gmail answers with the sent message and its RFC Message-ID.
        return { status: 200, body: sent ? capturedAnswer.replaceAll(CAPTURED_ID, sent.messageId) : capturedAnswer };
      },
    });
    options = await browser.open('options.html');
  });
  afterAll(() => browser?.close());

  beforeEach(async () => {
    syncCalls.length = 0;
    failSends = false;
    await changeSettings({
      emailLogging: 'api',
      undoSendSeconds: UNDO_SECONDS,
      bccAddress: BCC,
      internalDomains: [],
      composeDefaultOn: true,
    });
    await openMailbox();
  });

  it('hands a sent email to the worker exactly once, after the undo window, with its RFC Message-ID', async () => {
    const compose = await writeEmail('buyer@customer.com', 'Quote for Q4');
    await expect.poll(() => control(compose).textContent()).toContain('On');
    const messageId = await draftIdOf(compose);
    await compose.locator('[data-tooltip^="Send"]').click();
    await expect.poll(() => syncCalls.flatMap((c) => c.sends).length).toBe(1);
    // Inside the undo window nothing is logged yet.
    expect(await activityFor(messageId)).toEqual([]);
    await expect.poll(() => activityFor(messageId), { timeout: 10_000 }).toHaveLength(1);
    const [activity] = await activityFor(messageId);
    expect(activity).toMatchObject({ key: `gmail:rep@acme.com:${messageId}`, state: 'queued', subject: 'Quote for Q4' });
    expect(activity?.recipients).toEqual([{ email: 'buyer@customer.com' }]);
    const entry = (await stored()).outbox.find((e) => e.key === activity?.key);
    expect(entry?.payload).toMatchObject({ rfcMessageId: '<CAFsK+UQf12W_Efo3+hwj+BWb+sk8DaGQkrOoBOU38nHafAHJ4Q@mail.gmail.com>' });
    await settle(3_000);
    expect(await activityFor(messageId)).toHaveLength(1);
  });

  it('sends with Ctrl+Enter too, and logs nothing for draft autosaves', async () => {
    const compose = await writeEmail('buyer@customer.com', 'Draft only');
    const draftId = await draftIdOf(compose);
    await expect.poll(() => syncCalls.flatMap((c) => c.draftIds)).toContain(draftId);
    await settle((UNDO_SECONDS + 2) * 1000);
    expect(await activityFor(draftId)).toEqual([]);

    await compose.locator('[role="textbox"]').press('Control+Enter');
    await expect.poll(() => activityFor(draftId), { timeout: 10_000 }).toHaveLength(1);
  });

  it('logs nothing for a send the rep undid', async () => {
    const compose = await writeEmail('buyer@customer.com', 'Oops');
    const messageId = await draftIdOf(compose);
    await compose.locator('[data-tooltip^="Send"]').click();
    await page.locator('[role="alert"] #link_undo').click();
    await settle((UNDO_SECONDS + 3) * 1000);
    expect(await activityFor(messageId)).toEqual([]);
    // The reopened draft, sent again, is logged once.
    await dialog().locator('[data-tooltip^="Send"]').click();
    await expect.poll(() => activityFor(messageId), { timeout: 10_000 }).toHaveLength(1);
  });

  it('logs nothing for a send Gmail failed', async () => {
    failSends = true;
    const compose = await writeEmail('buyer@customer.com', 'Not sent');
    const messageId = await draftIdOf(compose);
    await compose.locator('[data-tooltip^="Send"]').click();
    await expect.poll(() => syncCalls.flatMap((c) => c.sends).length).toBe(1);
    await settle((UNDO_SECONDS + 3) * 1000);
    expect(await activityFor(messageId)).toEqual([]);
    // Chromium reports the 500 answer on the console: expected here, and the only such error.
    const expected = browser.errors.filter((e) => e.includes('status of 500'));
    expect(expected).toHaveLength(1);
    browser.errors.splice(browser.errors.indexOf(expected[0] as string), 1);
  });

  it('records an email the rep switched off as skipped, and queues nothing for it', async () => {
    const compose = await writeEmail('buyer@customer.com', 'Personal');
    const messageId = await draftIdOf(compose);
    await control(compose).click();
    await expect.poll(() => control(compose).textContent()).toContain('Off');
    await compose.locator('[data-tooltip^="Send"]').click();
    await expect.poll(() => activityFor(messageId), { timeout: 10_000 }).toMatchObject([{ state: 'skipped', reason: 'turnedOff' }]);
    expect((await stored()).outbox.some((e) => e.key.endsWith(messageId))).toBe(false);
  });

  it('shows the control on inline replies and logs the reply', async () => {
    await page.click('#reply-link');
    const reply = page.locator('.AO .inline-reply');
    await expect.poll(() => control(reply).count()).toBe(1);
    const messageId = await draftIdOf(reply);
    await reply.locator('[data-tooltip^="Send"]').click();
    await expect
      .poll(() => activityFor(messageId), { timeout: 10_000 })
      .toMatchObject([{ state: 'queued', subject: 'Re: Quote for the next quarter' }]);
  });

  describe('in BCC mode', () => {
    beforeEach(() => changeSettings({ emailLogging: 'bcc' }));

    it('adds the Email-to-Salesforce address once as a Bcc chip, again after Gmail resets the recipients, and sends it', async () => {
      const compose = await writeEmail('buyer@customer.com', 'By BCC');
      await expect.poll(() => bccChips(compose).count()).toBe(1);
      expect(await compose.locator('[name="bcc"]').isVisible()).toBe(true);
      expect(await control(compose).textContent()).toContain('BCC');
      // Gmail rebuilds a fresh compose's recipient rows; the chip comes back, still once.
      await page.evaluate(() => (window as unknown as { __gmailFixture: { resetRecipients(): void } }).__gmailFixture.resetRecipients());
      await expect.poll(() => bccChips(compose).count()).toBe(1);
      await settle(500);
      expect(await bccChips(compose).count()).toBe(1);
      expect(await compose.locator('[name="to"] [role="option"]').count()).toBe(1);

      const messageId = await draftIdOf(compose);
      await compose.locator('[data-tooltip^="Send"]').click();
      await expect.poll(() => syncCalls.flatMap((c) => c.sends).length).toBe(1);
      expect(syncCalls.flatMap((c) => c.sends)[0]?.bcc).toEqual([{ email: BCC }]);
      await expect.poll(() => activityFor(messageId), { timeout: 10_000 }).toMatchObject([{ state: 'logged', reason: 'bcc' }]);
      expect((await stored()).outbox.some((e) => e.key.endsWith(messageId))).toBe(false);
    });

    it('removes the chip when the control is switched off, and adds it back when switched on', async () => {
      const compose = await writeEmail('buyer@customer.com', 'Toggle');
      await expect.poll(() => bccChips(compose).count()).toBe(1);
      await control(compose).click();
      await expect.poll(() => bccChips(compose).count()).toBe(0);
      expect(await control(compose).getAttribute('aria-pressed')).toBe('false');
      await control(compose).click();
      await expect.poll(() => bccChips(compose).count()).toBe(1);
    });

    it('respects the rep removing the chip by hand', async () => {
      const compose = await writeEmail('buyer@customer.com', 'Hand removed');
      await expect.poll(() => bccChips(compose).count()).toBe(1);
      await bccChips(compose).getByRole('button').click();
      await expect.poll(() => control(compose).textContent()).toContain('Off');
      await settle(1_000);
      expect(await bccChips(compose).count()).toBe(0);
      const messageId = await draftIdOf(compose);
      await compose.locator('[data-tooltip^="Send"]').click();
      await expect.poll(() => activityFor(messageId), { timeout: 10_000 }).toMatchObject([{ state: 'skipped', reason: 'turnedOff' }]);
      // Switched off: the request left without the address, nothing added it.
      expect(syncCalls.flatMap((c) => c.sends).find((m) => m.messageId === messageId)?.bcc).toEqual([]);
    });

    it('a BCC-mode send whose chip was blocked by the page gets the address added in the request, and is logged by BCC', async () => {
      page = await browser.context.newPage();
      await page.goto('https://mail.google.com/mail/u/0/?blockBcc=1#inbox');
      await page.evaluate(() => (window as unknown as { __gmailFixture: { ready: Promise<unknown> } }).__gmailFixture.ready);
      const compose = await writeEmail('buyer@customer.com', 'Chip blocked');
      await expect.poll(() => control(compose).count()).toBe(1);
      await settle(1_000);
      expect(await bccChips(compose).count()).toBe(0);
      const messageId = await draftIdOf(compose);
      await compose.locator('.aoO').click();
      // What the server received carries the address; the compose's own Bcc never showed it.
      await expect.poll(() => syncCalls.flatMap((c) => c.sends).find((m) => m.messageId === messageId)?.bcc).toEqual([{ email: BCC }]);
      expect(syncCalls.flatMap((c) => c.sends).filter((m) => m.messageId === messageId)).toHaveLength(1);
      await expect.poll(() => activityFor(messageId), { timeout: 10_000 }).toMatchObject([{ state: 'logged', reason: 'bcc' }]);
      expect((await stored()).outbox.some((e) => e.key.endsWith(messageId))).toBe(false);
    });

    it('shows a send whose Bcc chip the page blocked, and whose request could not be changed, as not logged, with the reason, in the Activity tab', async () => {
      page = await browser.context.newPage();
      await page.goto('https://mail.google.com/mail/u/0/?blockBcc=1&oddJson=1#inbox');
      await page.evaluate(() => (window as unknown as { __gmailFixture: { ready: Promise<unknown> } }).__gmailFixture.ready);
      const compose = await writeEmail('buyer@customer.com', 'Blocked copy');
      await expect.poll(() => control(compose).count()).toBe(1);
      const messageId = await draftIdOf(compose);
      await compose.locator('.aoO').click();
      await expect.poll(() => syncCalls.flatMap((c) => c.sends).find((m) => m.messageId === messageId)?.bcc).toEqual([]);
      await expect.poll(() => activityFor(messageId), { timeout: 10_000 }).toMatchObject([{ state: 'skipped', reason: 'bccMissing' }]);
      const activity = await browser.open('options.html#activity');
      const row = activity.getByRole('row').filter({ hasText: 'Blocked copy' });
      await expect
        .poll(() => row.textContent(), { timeout: 10_000 })
        .toContain('The Email to Salesforce copy was not among the recipients.');
      await activity.screenshot({ path: 'test-results/gmail-bcc-blocked-activity.png' });
      await activity.close();
    });

    it('does not add the chip when every recipient is internal', async () => {
      await changeSettings({ internalDomains: ['acme.com'] });
      const compose = await writeEmail('buyer@customer.com', 'Mixed');
      await expect.poll(() => bccChips(compose).count()).toBe(1);
      await compose.locator('[name="to"] [role="option"]').getByRole('button').click();
      await compose.locator('[name="to"] input').fill('boss@acme.com');
      await compose.locator('[name="to"] input').press('Enter');
      await expect.poll(() => bccChips(compose).count()).toBe(0);
      await expect.poll(() => dialog().getByRole('status').textContent()).toContain('every recipient is internal');
    });
  });

  describe('in a Gmail in another language (the same markup, translated texts)', () => {
    beforeEach(() => changeSettings({ emailLogging: 'bcc' }));
    const openIn = async (hl: string) => {
      page = await browser.context.newPage();
      await page.goto(`https://mail.google.com/mail/u/0/?hl=${hl}#inbox`);
      await page.evaluate(() => (window as unknown as { __gmailFixture: { ready: Promise<unknown> } }).__gmailFixture.ready);
    };

    it.each(['ja', 'de'])(
      "%s: shows one control by Send (not by the other extension's button), adds the Bcc chip, and the address leaves with the send",
      async (hl) => {
        await openIn(hl);
        const compose = await writeEmail('buyer@customer.com', `Angebot ${hl}`);
        await expect.poll(() => control(compose).count()).toBe(1);
        expect(await compose.locator('.aoO + [data-sales-activity-sync], .dC + [data-sales-activity-sync]').count()).toBe(1);
        await expect.poll(() => bccChips(compose).count()).toBe(1);
        const messageId = await draftIdOf(compose);
        await compose.locator('.aoO').click();
        await expect.poll(() => syncCalls.flatMap((c) => c.sends).filter((m) => m.messageId === messageId).length).toBe(1);
        expect(syncCalls.flatMap((c) => c.sends).find((m) => m.messageId === messageId)?.bcc).toEqual([{ email: BCC }]);
        await expect.poll(() => activityFor(messageId), { timeout: 10_000 }).toMatchObject([{ state: 'logged', reason: 'bcc' }]);
      },
    );

    it('opens the collapsed recipients of an inline reply to add the Bcc chip, without taking the focus from the text the rep is typing', async () => {
      await changeSettings({ emailLogging: 'api' });
      await openIn('ja');
      await page.click('#reply-link');
      const reply = page.locator('.AO .inline-reply');
      await expect.poll(() => control(reply).count()).toBe(1);
      expect(await reply.locator('[name="bcc"]').isVisible()).toBe(false);
      await reply.locator('[role="textbox"]').click();
      await page.keyboard.type('お世話になっております。');
      // Switched to BCC while the rep writes: the chip is added in the collapsed reply.
      await changeSettings({ emailLogging: 'bcc' });
      await expect.poll(() => bccChips(reply).count(), { timeout: 5_000 }).toBe(1);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('textbox');
      await page.keyboard.type('見積もりを添付します。');
      expect(await reply.locator('[role="textbox"]').textContent()).toBe('お世話になっております。見積もりを添付します。');
      const messageId = await draftIdOf(reply);
      await reply.locator('.aoO').click();
      await expect.poll(() => syncCalls.flatMap((c) => c.sends).find((m) => m.messageId === messageId)?.bcc).toEqual([{ email: BCC }]);
      await expect.poll(() => activityFor(messageId), { timeout: 10_000 }).toMatchObject([{ state: 'logged', reason: 'bcc' }]);
    });
  });

  it('loads the compose script only once a compose appears, and once for every compose after', async () => {
    // A tab whose script loads are listed from its first script on (the inbox of beforeEach is not).
    page = await browser.context.newPage();
    const scripts = await extensionScriptsOf(browser.context, page);
    const loaded = scripts.paths;
    await page.goto('https://mail.google.com/mail/u/0/#inbox');
    await page.evaluate(() => (window as unknown as { __gmailFixture: { ready: Promise<unknown> } }).__gmailFixture.ready);
    await expect.poll(() => loaded).toContain('/content-scripts/gmail.js');
    await settle(1_000);
    expect(loaded).not.toContain('/gmail-compose.js');
    await writeEmail('buyer@customer.com', 'First of two');
    await expect.poll(() => control().count()).toBe(1);
    await writeEmail('other@customer.com', 'Second of two');
    expect(await page.locator('[role="dialog"]').count()).toBe(2);
    await expect.poll(() => control(page.locator('body')).count()).toBe(2);
    expect(loaded.filter((path) => path === '/gmail-compose.js')).toHaveLength(1);
    await scripts.stop();
  });

  describe('on the paths reps take every day', () => {
    const composeFor = (messageId: string) => page.locator(`[role="dialog"]:has(input[name="draft"][value="#${messageId}"])`);

    it('logs a send made 100 ms after the page loaded, while the worker was stopped, once', async () => {
      const cdp = await browser.context.newCDPSession(options);
      const running = new Map<string, string>();
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }: { versions: Array<{ versionId: string; runningStatus: string }> }) => {
        for (const v of versions) running.set(v.versionId, v.runningStatus);
      });
      await cdp.send('ServiceWorker.enable');
      // Mail tabs left open by earlier tests wake the worker (their counters, their reading panes):
      // only this test's tab and the options page stay, and the stop is repeated until it holds.
      for (const other of browser.context.pages()) if (other !== options) await other.close();
      await expect
        .poll(async () => {
          await cdp.send('ServiceWorker.stopAllWorkers');
          return [...running.values()].every((status) => status === 'stopped');
        })
        .toBe(true);
      const cold = await browser.context.newPage();
      await cold.goto('https://mail.google.com/mail/u/0/?sendAfterMs=100#inbox');
      const messageId = await cold.evaluate(async () => {
        const fixture = (window as unknown as { __gmailFixture: { sentAtOnce?: string } }).__gmailFixture;
        while (!fixture.sentAtOnce) await new Promise((resolve) => setTimeout(resolve, 10));
        return fixture.sentAtOnce;
      });
      await cdp.detach();
      await expect.poll(() => activityFor(messageId), { timeout: 15_000 }).toMatchObject([{ state: 'queued', subject: 'Sent at once' }]);
      await settle(2_000);
      expect(await activityFor(messageId)).toHaveLength(1);
      await cold.close();
    });

    it('logs a delegated mailbox (/mail/b/<id>/u/<N>/) as the delegated mailbox', async () => {
      page = await browser.context.newPage();
      await page.goto('https://mail.google.com/mail/b/274/u/0/#inbox');
      await page.evaluate(() => (window as unknown as { __gmailFixture: { ready: Promise<unknown> } }).__gmailFixture.ready);
      const compose = await writeEmail('buyer@customer.com', 'From the team mailbox');
      await expect.poll(() => control(compose).count()).toBe(1);
      const messageId = await draftIdOf(compose);
      await compose.locator('[data-tooltip^="Send"]').click();
      await expect
        .poll(() => activityFor(messageId), { timeout: 10_000 })
        .toMatchObject([{ key: `gmail:boss@acme.com:${messageId}`, state: 'queued' }]);
    });

    it('serves a tab left open across an extension reload: one control, and the send is logged once', async () => {
      const compose = await writeEmail('buyer@customer.com', 'After the update');
      await expect.poll(() => control(compose).count()).toBe(1);
      const messageId = await draftIdOf(compose);
      // Reload the extension as chrome://extensions does (Chromium offers it in developer mode only).
      const extensions = await browser.context.newPage();
      await extensions.goto('chrome://extensions');
      const restarted = browser.context.waitForEvent('serviceworker');
      await extensions.evaluate(async (id) => {
        const dev = (chrome as unknown as { developerPrivate: Record<string, (...args: unknown[]) => Promise<void>> }).developerPrivate;
        await dev.updateProfileConfiguration?.({ inDeveloperMode: true });
        await dev.reload?.(id, { failQuietly: true });
      }, browser.extensionId);
      await restarted;
      await extensions.close();
      options = await browser.open('options.html');
      // The old script's control is gone, the new script's is there: one in all.
      const thisCompose = composeFor(messageId);
      await expect.poll(() => thisCompose.locator('[data-sales-activity-sync]').count(), { timeout: 10_000 }).toBe(1);
      await expect.poll(() => control(thisCompose).textContent()).toContain('On');
      await thisCompose.locator('[data-tooltip^="Send"]').click();
      await expect
        .poll(() => activityFor(messageId), { timeout: 15_000 })
        .toMatchObject([{ state: 'queued', subject: 'After the update' }]);
      await settle(3_000);
      expect(await activityFor(messageId)).toHaveLength(1);
    });
  });

  it('logged no console error from any part', () => {
    expect(browser.errors).toEqual([]);
  });
});
