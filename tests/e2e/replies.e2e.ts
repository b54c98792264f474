/// <reference types="chrome" />
/**
 * Received email, end to end in Chromium with the built extension: the rep sends an email from
 * the Gmail or Outlook fixture page (logged as usual), then opens its thread, which the page
 * loads the way the webmail does (Gmail's /sync/u/0/i/fd, OWA's GetConversationItems) with the
 * customer's reply in it. The reply becomes one inbound activity in the org emulator, however
 * often the thread is opened; a reply from a never-log address or in a thread never logged does not.
 * The Account or Opportunity the rep picks (in "Log this email", or in the compose control before
 * sending) is the Task's WhatId, and the thread's replies follow it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGmailSyncRequest } from '../../lib/mail/gmail/sync-request';
import { OUTLOOK_HOSTS } from '../../lib/mail/hosts';
import { type Emulator, type Seed, startEmulator } from '../emulator';
import { LOGGING_SEED } from '../unit/outbox/logging-seed';
import { type ExtensionBrowser, launchWithExtension } from './support/browser';
import { fixturePage, serveMailHosts } from './support/mail-hosts';
import { composeInGmail, composeInOutlook } from './support/playwright-compose';
import { connectThroughOptions } from './support/salesforce';

const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');
const INCOMING = join(process.cwd(), 'tests/fixtures/mail/incoming');
const GMAIL_DIR = join(process.cwd(), 'tests/fixtures/mail/gmail');
const CAPTURED_ID = 'msg-a:r8190137112111191537';
const sendAnswer = readFileSync(join(GMAIL_DIR, '2022-09-09-cvOnSend_response.json'), 'utf8');
const fdTemplate = JSON.parse(readFileSync(join(INCOMING, 'gmail-fd-answer.json'), 'utf8').replace(/^\)\]\}'\n/, ''));
const owaTemplate = JSON.parse(readFileSync(join(INCOMING, 'owa-getconversationitems-answer.json'), 'utf8'));
const SEED: Seed = {
  ...LOGGING_SEED,
  Contact: [
    ...(LOGGING_SEED.Contact ?? []),
    { FirstName: 'Pat', LastName: 'Customer', AccountId: '@globex', Email: 'customer@example.com' },
    { FirstName: 'Vic', LastName: 'Vendor', AccountId: '@globex', Email: 'vic@vendor.example' },
    // Outlook's fixture shows customer@example.com by name only (a known contact), so its compose reads no address for it.
    { FirstName: 'Dana', LastName: 'Buyer', AccountId: '@globex', Email: 'dana@globex.example' },
  ],
  Opportunity: [
    ...(LOGGING_SEED.Opportunity ?? []),
    { Name: 'Globex renewal', AccountId: '@globex', StageName: 'Prospecting', CloseDate: '$today+45', LastModifiedDate: '$now-2d' },
  ],
};

interface Activity {
  key: string;
  state: string;
  subject: string;
  sentAt: number;
  direction?: string;
}

/** An address and the name shown with it. */
type Person = [email: string, name: string];
const GMAIL_REP: Person = ['rep@acme.com', 'Rep Example'];
const OUTLOOK_REP: Person = ['rep@example.com', 'Sample Rep'];
const PAT: Person = ['customer@example.com', 'Pat Customer'];
const VIC: Person = ['vic@vendor.example', 'Vic Vendor'];
const DANA: Person = ['dana@globex.example', 'Dana Buyer'];

interface Message {
  id: string;
  from: Person;
  to: Person[];
  subject: string;
  html: string;
  rfc: string;
  at: number;
}

/** A message of a thread from one person to another, sent now unless `at` says otherwise. */
function message(from: Person, to: Person, m: Omit<Message, 'from' | 'to' | 'at'> & { at?: number }): Message {
  return { from, to: [to], at: Date.now(), ...m };
}

/** An i/fd answer in the shape of the sample, holding these messages. */
function gmailThreadAnswer(threadId: string, messages: Message[]): string {
  const answer = structuredClone(fdTemplate);
  const thread = answer[1][0];
  const [headTemplate] = thread[1][1];
  const [detailTemplate] = thread[2];
  thread[0] = threadId;
  thread[1][1] = messages.map((m) => {
    const head = structuredClone(headTemplate);
    head[0] = m.id;
    head[1] = [1, ...m.from];
    head[3] = m.from[0].endsWith('@acme.com') ? ['^all', '^f'] : ['^all', '^i', '^u'];
    return head;
  });
  thread[2] = messages.map((m) => {
    const [, details] = structuredClone(detailTemplate);
    details[0] = m.to.map((t) => [1, ...t]);
    details[1] = [];
    details[4] = m.subject;
    details[5][1][0][2][1] = m.html;
    details[7] = m.rfc;
    details[10][16] = m.from[0];
    details[16] = String(m.at);
    return [m.id, details];
  });
  return `)]}'\n${JSON.stringify(answer)}`;
}

/** A GetConversationItems answer in the shape of the sample, one node per message. */
function owaConversationAnswer(conversationId: string, messages: Message[]): string {
  const answer = structuredClone(owaTemplate);
  const conversation = answer.Body.ResponseMessages.Items[0].Conversation;
  const [nodeTemplate] = conversation.ConversationNodes;
  conversation.ConversationId.Id = conversationId;
  conversation.ConversationNodes = messages.map((m) => {
    const node = structuredClone(nodeTemplate);
    const [item] = node.Items;
    node.InternetMessageId = m.rfc;
    item.ItemId.Id = m.id;
    item.ConversationId.Id = conversationId;
    item.Subject = m.subject;
    item.DateTimeSent = item.DateTimeReceived = new Date(m.at).toISOString().replace(/\.\d+Z$/, 'Z');
    item.From = item.Sender = { Mailbox: { EmailAddress: m.from[0], Name: m.from[1], RoutingType: 'SMTP', MailboxType: 'OneOff' } };
    item.ToRecipients = m.to.map(([EmailAddress, Name]) => ({ EmailAddress, Name, RoutingType: 'SMTP', MailboxType: 'OneOff' }));
    item.CcRecipients = [];
    item.InternetMessageId = m.rfc;
    item.UniqueBody = { BodyType: 'HTML', Value: m.html };
    return node;
  });
  return JSON.stringify(answer);
}

/** An OWA answer holding these items: what GetItem returns, and (empty) what a send gets. */
const owaItemsAnswer = (items: unknown[]) =>
  JSON.stringify({
    Body: {
      ResponseMessages: {
        Items: [{ __type: 'ItemInfoResponseMessage:#Exchange', ResponseClass: 'Success', ResponseCode: 'NoError', Items: items }],
      },
    },
  });
const owaSendAnswer = owaItemsAnswer([]);

describe('logging received replies, in Chromium with the built extension', () => {
  let sf: Emulator;
  const dataDir = mkdtempSync(join(tmpdir(), 'sas-replies-e2e-'));
  let browser: ExtensionBrowser;
  let options: Page;
  /** What the page asked Gmail to send, by subject: its ids. */
  const gmailSent = new Map<string, { messageId: string; threadId: string }>();
  /** What the thread view gets when it loads a thread, by thread id. */
  const gmailThreads = new Map<string, string>();
  const owaConversations = new Map<string, string>();
  /** What a pop-out read window gets (GetItem), by ItemId. */
  const owaItems = new Map<string, string>();
  /** The Outlook message list (FindConversation): each conversation's id, senders and topic. */
  const owaList: Array<{ id: string; senders: string[]; topic: string }> = [];

  const tasksAbout = (subject: string) => sf.org.records('Task').filter((t) => t.Subject === `Email: ${subject}`);
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

  async function sendFromGmail(to: string, subject: string) {
    const { page, send } = await composeInGmail(browser.context, to, subject, 'Here is the quote we discussed.');
    await send();
    await expect.poll(() => tasksAbout(subject).length, { timeout: 20_000 }).toBe(1);
    await page.close();
    return gmailSent.get(subject)!;
  }

  /**
   * The rep opens the compose control's Related to choice (offered once the preview matched the
   * contact; Salesforce is asked for the options only then) and picks the open Opportunity.
   */
  async function pickRenewal(compose: Locator): Promise<string> {
    const opener = compose.getByRole('button', { name: 'Related to', exact: true });
    await opener.waitFor({ timeout: 10_000 });
    const related = compose.getByRole('combobox', { name: 'Related to' });
    expect(await related.count()).toBe(0);
    await opener.click();
    await expect.poll(() => related.locator('option').count(), { timeout: 10_000 }).toBe(3);
    // The rule's choice (the contact's account) is preselected.
    expect(await related.inputValue()).toBe(contact('customer@example.com').AccountId);
    // The rep's own key press (a pick the page made up would not count): the option after the account.
    await related.press('ArrowDown');
    const renewal = String(sf.org.records('Opportunity').find((o) => o.Name === 'Globex renewal')!.Id);
    expect(await related.inputValue()).toBe(renewal);
    return renewal;
  }

  /** What the Gmail thread view loads for this thread from now on. */
  const showGmailThread = (threadId: string, messages: Message[]) => gmailThreads.set(threadId, gmailThreadAnswer(threadId, messages));
  /** What Outlook loads for this conversation from now on. */
  const showOwaConversation = (conversation: string, messages: Message[]) =>
    owaConversations.set(conversation, owaConversationAnswer(conversation, messages));

  async function openGmailThread(threadId: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`https://mail.google.com/mail/u/0/thread?thread=${encodeURIComponent(threadId)}`);
    await page.locator('body[data-loaded="true"]').waitFor();
    return page;
  }

  /** Opens the Outlook reading view of this conversation, once it has loaded. */
  async function openOutlookReading(conversation: string): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`https://outlook.office.com/mail/reading?conversation=${encodeURIComponent(conversation)}`);
    await page.locator('body[data-loaded="true"]').waitFor();
    return page;
  }

  /** What a reading-pane control says of its message ("Not logged.", "Logged to:"), for expect.poll. */
  const statusOf = (pane: Locator) => () => pane.locator('[role="status"]').textContent();
  /** Where a reading-pane control's link to a Salesforce record points. */
  const hrefOf = (pane: Locator, name: string) => pane.getByRole('link', { name }).getAttribute('href');

  async function sendFromOutlook(to: string, subject: string) {
    const { page, send } = await composeInOutlook(browser.context, to, subject, 'Our proposal.');
    await send();
    await expect.poll(() => tasksAbout(subject).length, { timeout: 20_000 }).toBe(1);
    await page.close();
  }

  beforeAll(async () => {
    sf = await startEmulator({ port: 0, seed: SEED, dataFile: join(dataDir, 'org.json') });
    browser = await launchWithExtension({ locale: 'en' });
    await serveMailHosts(browser.context, {
      gmail: fixturePage('gmail-compose.html'),
      outlook: fixturePage('outlook-mailbox.html'),
      gmailSync: (request) => {
        const { pathname } = new URL(request.url());
        if (pathname.endsWith('/i/fd')) {
          const [[[threadId]]] = JSON.parse(request.postData() ?? '[[[""]]]');
          return { status: 200, body: gmailThreads.get(threadId) ?? `)]}'\n[null,[]]` };
        }
        const sent = readGmailSyncRequest(request.postData() ?? '').sends[0];
        if (sent) gmailSent.set(sent.subject, { messageId: sent.messageId, threadId: sent.threadId ?? '' });
        return { status: 200, body: sent ? sendAnswer.replaceAll(CAPTURED_ID, sent.messageId) : sendAnswer };
      },
    });
    // The thread view and the reading pane, registered last so that they win over the mailbox pages.
    await browser.context.route('https://mail.google.com/mail/u/0/thread**', (route) =>
      route.fulfill({ contentType: 'text/html', body: fixturePage('gmail-thread.html') }),
    );
    for (const host of OUTLOOK_HOSTS) {
      await browser.context.route(`https://${host}/owa/**`, async (route: Route) => {
        const request = route.request();
        if (request.resourceType() === 'document') return route.fallback();
        const action = new URL(request.url()).searchParams.get('action');
        const conversation =
          action === 'GetConversationItems'
            ? JSON.parse(request.postData() ?? '{}').Body?.Conversations?.[0]?.ConversationId?.Id
            : undefined;
        const item = action === 'GetItem' ? owaItems.get(JSON.parse(request.postData() ?? '{}').Body?.ItemIds?.[0]?.Id) : undefined;
        if (item) return route.fulfill({ status: 200, contentType: 'application/json; charset=utf-8', body: item });
        const list = JSON.stringify({
          Body: {
            ResponseClass: 'Success',
            ResponseCode: 'NoError',
            Conversations: owaList.map((c) => ({ ConversationId: { Id: c.id }, UniqueSenders: c.senders, ConversationTopic: c.topic })),
          },
        });
        const body = conversation
          ? (owaConversations.get(conversation) ?? owaSendAnswer)
          : action === 'FindConversation'
            ? list
            : owaSendAnswer;
        return route.fulfill({ status: 200, contentType: 'application/json; charset=utf-8', body });
      });
      await browser.context.route(`https://${host}/mail/reading**`, (route) =>
        route.fulfill({ contentType: 'text/html', body: fixturePage('outlook-reading.html') }),
      );
    }
    options = await connectThroughOptions(browser, sf);
    await options.evaluate(() =>
      chrome.runtime.sendMessage({
        type: 'settings/change',
        changes: { emailLogging: 'api', undoSendSeconds: 0, internalDomains: ['acme.com'], neverLog: ['vendor.example'] },
      }),
    );
  });
  afterAll(async () => {
    await browser?.close();
    await sf?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a received reply in a logged Gmail thread is logged once, as an inbound Task on the contact who sent it', async () => {
    const { messageId, threadId } = await sendFromGmail('customer@example.com', 'Replies quote');
    const sentAt = Date.now() - 60_000;
    showGmailThread(threadId, [
      message(GMAIL_REP, PAT, {
        id: messageId,
        subject: 'Replies quote',
        html: '<div>Here is the quote.</div>',
        rfc: '<e2e-sent-1@mail.gmail.com>',
        at: sentAt,
      }),
      message(PAT, GMAIL_REP, {
        id: 'msg-f:1850000000000000101',
        subject: 'Re: Replies quote',
        html: '<div>Thanks, we accept.</div>',
        rfc: '<e2e-reply-1@mail.example.com>',
      }),
    ]);
    const page = await openGmailThread(threadId);
    await expect.poll(() => tasksAbout('Re: Replies quote').length, { timeout: 20_000 }).toBe(1);
    const pat = contact('customer@example.com');
    const [task] = tasksAbout('Re: Replies quote');
    expect(task).toMatchObject({ WhoId: pat.Id, WhatId: pat.AccountId, TaskSubtype: 'Email', Status: 'Completed' });
    expect(String(task!.Description)).toMatch(/^From: Pat Customer <customer@example\.com>\nTo: Rep Example <rep@acme\.com>/);
    expect(String(task!.Description)).toContain('Thanks, we accept.');
    await expect.poll(async () => (await activityAbout('Re: Replies quote'))?.state).toBe('logged');
    expect((await activityAbout('Re: Replies quote'))?.direction).toBe('inbound');

    // Opened again (the same answer loads again), and in a second tab: still one Task.
    await page.reload();
    await page.locator('body[data-loaded="true"]').waitFor();
    const second = await openGmailThread(threadId);
    await expect.poll(async () => (await activities()).filter((a) => a.subject === 'Re: Replies quote').length).toBe(1);
    await expect.poll(async () => (await activityAbout('Re: Replies quote'))?.state, { timeout: 10_000 }).toBe('logged');
    expect(tasksAbout('Re: Replies quote')).toHaveLength(1);
    expect(tasksAbout('Replies quote')).toHaveLength(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'replies-gmail-thread.png') });
    await Promise.all([page.close(), second.close()]);
  });

  it('a received reply in a logged Outlook conversation is logged once', async () => {
    await sendFromOutlook('customer@example.com', 'Outlook replies proposal');
    const sent = await activityAbout('Outlook replies proposal');
    const conversation = 'AAQkADAwATM0MDAAMS1iNTcyLTQ3ZjctMDACLTAwCgAQAE2E';
    showOwaConversation(conversation, [
      // The sent copy has an id of its own, and is sent a moment after the logged send was seen.
      message(OUTLOOK_REP, PAT, {
        id: 'AAMkSentCopyE2E',
        subject: 'Outlook replies proposal',
        html: '<div>Our proposal.</div>',
        rfc: '<e2e-owa-sent@namprd01.prod.outlook.com>',
        at: sent!.sentAt,
      }),
      message(PAT, OUTLOOK_REP, {
        id: 'AAMkReplyE2E',
        subject: 'RE: Outlook replies proposal',
        html: '<div>We accept.</div>',
        rfc: '<e2e-owa-reply@namprd02.prod.outlook.com>',
      }),
    ]);
    const page = await openOutlookReading(conversation);

    await expect.poll(() => tasksAbout('RE: Outlook replies proposal').length, { timeout: 20_000 }).toBe(1);
    expect(tasksAbout('RE: Outlook replies proposal')[0]).toMatchObject({ WhoId: contact('customer@example.com').Id });
    await page.reload();
    await page.locator('body[data-loaded="true"]').waitFor();
    await expect.poll(async () => (await activityAbout('RE: Outlook replies proposal'))?.state, { timeout: 10_000 }).toBe('logged');
    expect(tasksAbout('RE: Outlook replies proposal')).toHaveLength(1);
    expect(tasksAbout('Outlook replies proposal')).toHaveLength(1);
    await page.close();
  });

  it('a received reply from a never-log address, or in a thread never logged, is not logged', async () => {
    const { messageId, threadId } = await sendFromGmail('customer@example.com', 'Replies excluded');
    showGmailThread(threadId, [
      message(GMAIL_REP, PAT, {
        id: messageId,
        subject: 'Replies excluded',
        html: '<div>Hi</div>',
        rfc: '<e2e-sent-2@mail.gmail.com>',
        at: Date.now() - 60_000,
      }),
      message(VIC, GMAIL_REP, {
        id: 'msg-f:1850000000000000201',
        subject: 'Re: Replies excluded',
        html: '<div>Me too</div>',
        rfc: '<e2e-reply-2@vendor.example>',
      }),
    ]);
    showGmailThread('thread-f:1850000000000000300', [
      message(PAT, GMAIL_REP, {
        id: 'msg-f:1850000000000000301',
        subject: 'Never logged thread',
        html: '<div>Hello</div>',
        rfc: '<e2e-unlogged@mail.example.com>',
      }),
    ]);
    const excluded = await openGmailThread(threadId);
    const unlogged = await openGmailThread('thread-f:1850000000000000300');
    // The excluded reply is shown as skipped, with its reason; the other one is not the extension's.
    await expect.poll(async () => (await activityAbout('Re: Replies excluded'))?.state, { timeout: 10_000 }).toBe('skipped');
    await options.goto(options.url().replace(/#.*$/, '#activity'));
    const row = options.getByRole('row').filter({ hasText: 'Re: Replies excluded' });
    await expect.poll(() => row.textContent()).toContain('Received');
    await options.screenshot({ path: join(SCREENSHOTS, 'replies-activity.png') });
    expect(await activityAbout('Never logged thread')).toBeUndefined();
    expect(tasksAbout('Re: Replies excluded')).toHaveLength(0);
    expect(tasksAbout('Never logged thread')).toHaveLength(0);
    await Promise.all([excluded.close(), unlogged.close()]);
  });

  it('a message logged by hand from the reading pane shows as logged, with its records linked to Salesforce', async () => {
    const threadId = 'thread-f:1850000000000000400';
    showGmailThread(threadId, [
      message(PAT, GMAIL_REP, {
        id: 'msg-f:1850000000000000401',
        subject: 'Received by hand',
        html: '<div>A question about pricing.</div>',
        rfc: '<e2e-hand@mail.example.com>',
        at: Date.now() - 120_000,
      }),
    ]);
    const page = await openGmailThread(threadId);
    const pane = page.locator('[data-message-id="#msg-f:1850000000000000401"] [data-sales-activity-sync="reading-pane"]');
    await expect.poll(statusOf(pane), { timeout: 10_000 }).toBe('Not logged.');
    expect(tasksAbout('Received by hand')).toHaveLength(0);
    await pane.getByRole('button', { name: 'Log this email' }).click();
    await expect.poll(statusOf(pane), { timeout: 20_000 }).toBe('Logged to:');
    const pat = contact('customer@example.com');
    expect(await hrefOf(pane, 'Pat Customer (Contact)')).toBe(`${sf.url}/${pat.Id}`);
    expect(tasksAbout('Received by hand')).toEqual([expect.objectContaining({ WhoId: pat.Id, WhatId: pat.AccountId })]);
    const [task] = tasksAbout('Received by hand');
    expect(await hrefOf(pane, 'Task')).toBe(`${sf.url}/${task!.Id}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'replies-reading-pane-logged.png') });
    // Opened again: shown as logged at once, and not logged twice.
    await page.reload();
    await page.locator('body[data-loaded="true"]').waitFor();
    await expect.poll(statusOf(pane), { timeout: 10_000 }).toBe('Logged to:');
    expect(tasksAbout('Received by hand')).toHaveLength(1);
    await page.close();
  });

  it("the Opportunity picked in 'Log this email' reaches Salesforce as the WhatId, and the thread's replies follow it", async () => {
    const threadId = 'thread-f:1850000000000000500';
    const first: Message = message(PAT, GMAIL_REP, {
      id: 'msg-f:1850000000000000501',
      subject: 'Renewal terms',
      html: '<div>About the renewal.</div>',
      rfc: '<e2e-related-1@mail.example.com>',
      at: Date.now() - 120_000,
    });
    showGmailThread(threadId, [first]);
    const page = await openGmailThread(threadId);
    const pane = page.locator('[data-message-id="#msg-f:1850000000000000501"] [data-sales-activity-sync="reading-pane"]');
    const related = pane.getByRole('combobox', { name: 'Related to' });
    // The rule (the contact's account) is preselected; the rep picks the open opportunity instead.
    await expect.poll(() => related.locator('option').count(), { timeout: 10_000 }).toBe(3);
    const globex = contact('customer@example.com').AccountId;
    expect(await related.inputValue()).toBe(globex);
    const renewal = sf.org.records('Opportunity').find((o) => o.Name === 'Globex renewal')!;
    await related.selectOption(String(renewal.Id));
    await page.screenshot({ path: join(SCREENSHOTS, 'replies-reading-pane-related.png') });
    await pane.getByRole('button', { name: 'Log this email' }).click();
    await expect.poll(() => tasksAbout('Renewal terms').length, { timeout: 20_000 }).toBe(1);
    expect(tasksAbout('Renewal terms')[0]).toMatchObject({ WhoId: contact('customer@example.com').Id, WhatId: renewal.Id });

    // The next message of the thread follows the choice.
    showGmailThread(threadId, [
      first,
      {
        ...first,
        id: 'msg-f:1850000000000000502',
        subject: 'Re: Renewal terms',
        rfc: '<e2e-related-2@mail.example.com>',
        at: Date.now(),
      },
    ]);
    await page.reload();
    await expect.poll(() => tasksAbout('Re: Renewal terms').length, { timeout: 20_000 }).toBe(1);
    expect(tasksAbout('Re: Renewal terms')[0]).toMatchObject({ WhatId: renewal.Id });
    await page.close();
  });

  it('a message logged by hand from the Outlook reading pane shows as logged, with its records linked to Salesforce', async () => {
    // An id with the characters OWA URL-encodes in its address bar.
    const conversation = 'AAQkADAwATM0MDAAMS1iNTcyLTQ3ZjctMDACLTAwCgAQAHand+Pane/E2E=';
    showOwaConversation(conversation, [
      message(PAT, OUTLOOK_REP, {
        id: 'AAMkHandE2E',
        subject: 'Outlook by hand',
        html: '<div>A question about delivery.</div>',
        rfc: '<e2e-owa-hand@namprd02.prod.outlook.com>',
        at: Date.now() - 120_000,
      }),
    ]);
    owaList.push({ id: conversation, senders: ['Pat Customer'], topic: 'Outlook by hand' });
    const page = await browser.context.newPage();
    await page.goto('https://outlook.office.com/mail/inbox');
    // Opened from the list: OWA changes the URL without loading a page, then loads the conversation.
    await page.locator(`[data-convid="${conversation}"]`).click();
    expect(new URL(page.url()).pathname).toBe(`/mail/inbox/id/${encodeURIComponent(conversation)}`);
    const pane = page.locator('#ReadingPaneContainerId [data-sales-activity-sync="reading-pane"]');
    await expect.poll(statusOf(pane), { timeout: 10_000 }).toBe('Not logged.');
    expect(await pane.getByText(/^Pat Customer, /).count()).toBe(1);
    expect(tasksAbout('Outlook by hand')).toHaveLength(0);
    await pane.getByRole('button', { name: 'Log this email' }).click();
    await expect.poll(statusOf(pane), { timeout: 20_000 }).toBe('Logged to:');
    const pat = contact('customer@example.com');
    expect(await hrefOf(pane, 'Pat Customer (Contact)')).toBe(`${sf.url}/${pat.Id}`);
    const [task] = tasksAbout('Outlook by hand');
    expect(task).toMatchObject({ WhoId: pat.Id, WhatId: pat.AccountId, TaskSubtype: 'Email' });
    expect(await hrefOf(pane, 'Task')).toBe(`${sf.url}/${task!.Id}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'replies-outlook-reading-pane-logged.png') });

    // Back to the list: the control goes with the conversation.
    await page.goBack();
    await expect.poll(() => pane.count()).toBe(0);
    // Loaded again at the conversation's address: shown as logged, and not logged twice.
    await page.goto(`https://outlook.office.com/mail/inbox/id/${encodeURIComponent(conversation)}`);
    await expect.poll(statusOf(pane), { timeout: 10_000 }).toBe('Logged to:');
    expect(tasksAbout('Outlook by hand')).toHaveLength(1);
    await page.close();
  });

  it('a sent email logged when it was sent shows as logged in the Outlook reading pane, from its sent copy', async () => {
    await sendFromOutlook('customer@example.com', 'Outlook sent and shown');
    const sent = await activityAbout('Outlook sent and shown');
    const conversation = 'AAQkADAwATM0MDAAMS1iNTcyLTQ3ZjctMDACLTAwCgAQASentE2E=';
    showOwaConversation(conversation, [
      message(OUTLOOK_REP, PAT, {
        id: 'AAMkSentShownE2E',
        subject: 'Outlook sent and shown',
        html: '<div>Our proposal.</div>',
        rfc: '<e2e-owa-sent-shown@namprd01.prod.outlook.com>',
        at: sent!.sentAt,
      }),
    ]);
    const page = await browser.context.newPage();
    await page.goto(`https://outlook.live.com/mail/0/inbox/id/${encodeURIComponent(conversation)}`);
    const pane = page.locator('#ReadingPaneContainerId [data-sales-activity-sync="reading-pane"]');
    await expect.poll(statusOf(pane), { timeout: 10_000 }).toBe('Logged to:');
    const pat = contact('customer@example.com');
    expect(await hrefOf(pane, 'Pat Customer (Contact)')).toBe(`${sf.url}/${pat.Id}`);
    const [task] = tasksAbout('Outlook sent and shown');
    expect(await hrefOf(pane, 'Task')).toBe(`${sf.url}/${task!.Id}`);
    expect(await pane.getByRole('button', { name: 'Log this email' }).count()).toBe(0);
    expect(tasksAbout('Outlook sent and shown')).toHaveLength(1);
    await page.close();
  });

  it('a message logged by hand from an Outlook pop-out read window shows as logged there', async () => {
    const item = 'AAMkADAwATM0MDAAMS1iNTcyLTQ3ZjctMDACLTAwCgBGPopOut+E2E/1=';
    const conversation = JSON.parse(
      owaConversationAnswer('AAQkADAwATM0MDAAMS1iNTcyLTQ3ZjctMDACLTAwCgAQAPopOutE2E=', [
        message(PAT, OUTLOOK_REP, {
          id: item,
          subject: 'Outlook pop-out',
          html: '<div>Can we meet on Friday?</div>',
          rfc: '<e2e-owa-popout@namprd02.prod.outlook.com>',
          at: Date.now() - 60_000,
        }),
      ]),
    );
    const [popOut] = conversation.Body.ResponseMessages.Items[0].Conversation.ConversationNodes[0].Items;
    owaItems.set(item, owaItemsAnswer([popOut]));
    const page = await browser.context.newPage();
    await page.goto(
      `https://outlook.office365.com/mail/deeplink/read/${encodeURIComponent(item)}?ItemID=${encodeURIComponent(item)}&exvsurl=1`,
    );
    const pane = page.locator('[role="main"] [data-sales-activity-sync="reading-pane"]');
    await expect.poll(statusOf(pane), { timeout: 10_000 }).toBe('Not logged.');
    await pane.getByRole('button', { name: 'Log this email' }).click();
    await expect.poll(statusOf(pane), { timeout: 20_000 }).toBe('Logged to:');
    expect(tasksAbout('Outlook pop-out')).toEqual([expect.objectContaining({ WhoId: contact('customer@example.com').Id })]);
    await page.close();
  });

  it('the Opportunity picked in the compose control reaches Salesforce as the WhatId, and a reply received in that thread follows it', async () => {
    const { page, compose, send } = await composeInGmail(browser.context, 'customer@example.com', 'Compose renewal', 'The renewal quote.');
    const renewal = await pickRenewal(compose);
    await page.screenshot({ path: join(SCREENSHOTS, 'replies-compose-related.png') });
    await send();
    await expect.poll(() => tasksAbout('Compose renewal').length, { timeout: 20_000 }).toBe(1);
    const pat = contact('customer@example.com');
    expect(tasksAbout('Compose renewal')[0]).toMatchObject({ WhoId: pat.Id, WhatId: renewal });
    await page.close();

    // The customer's reply in that thread is logged to the same Opportunity.
    const { messageId, threadId } = gmailSent.get('Compose renewal')!;
    showGmailThread(threadId, [
      message(GMAIL_REP, PAT, {
        id: messageId,
        subject: 'Compose renewal',
        html: '<div>The renewal quote.</div>',
        rfc: '<e2e-compose-related-1@mail.gmail.com>',
        at: Date.now() - 60_000,
      }),
      message(PAT, GMAIL_REP, {
        id: 'msg-f:1850000000000000601',
        subject: 'Re: Compose renewal',
        html: '<div>Agreed.</div>',
        rfc: '<e2e-compose-related-2@mail.example.com>',
      }),
    ]);
    const thread = await openGmailThread(threadId);
    await expect.poll(() => tasksAbout('Re: Compose renewal').length, { timeout: 20_000 }).toBe(1);
    expect(tasksAbout('Re: Compose renewal')[0]).toMatchObject({ WhoId: pat.Id, WhatId: renewal });
    await thread.close();
  });

  it("the Opportunity picked in an Outlook compose reaches Salesforce, and the conversation's received reply follows it", async () => {
    const { page, form, send } = await composeInOutlook(browser.context, 'dana@globex.example', 'Outlook renewal', 'Our renewal offer.');
    const renewal = await pickRenewal(form);
    await send();
    await expect.poll(() => tasksAbout('Outlook renewal').length, { timeout: 20_000 }).toBe(1);
    expect(tasksAbout('Outlook renewal')[0]).toMatchObject({ WhatId: renewal });
    await page.close();

    // A new email names no conversation: the conversation is recognised by the sent copy in it, and keeps the pick.
    const sent = await activityAbout('Outlook renewal');
    const conversation = 'AAQkADAwATM0MDAAMS1iNTcyLTQ3ZjctMDACLTAwCgAQAE2F';
    showOwaConversation(conversation, [
      message(OUTLOOK_REP, DANA, {
        id: 'AAMkSentCopyRenewal',
        subject: 'Outlook renewal',
        html: '<div>Our renewal offer.</div>',
        rfc: '<e2e-owa-renewal-sent@namprd01.prod.outlook.com>',
        at: sent!.sentAt,
      }),
      message(DANA, OUTLOOK_REP, {
        id: 'AAMkReplyRenewal',
        subject: 'RE: Outlook renewal',
        html: '<div>Signed.</div>',
        rfc: '<e2e-owa-renewal-reply@namprd02.prod.outlook.com>',
      }),
    ]);
    const reading = await openOutlookReading(conversation);
    await expect.poll(() => tasksAbout('RE: Outlook renewal').length, { timeout: 20_000 }).toBe(1);
    expect(tasksAbout('RE: Outlook renewal')[0]).toMatchObject({ WhoId: contact('dana@globex.example').Id, WhatId: renewal });
    await reading.close();
  });

  it('logged no console error from any part', () => {
    expect(browser.errors).toEqual([]);
  });
});
