/**
 * Received email: which messages the worker logs (a reply in a logged thread, once; never the
 * rep's own, history, or an excluded address), and what they become in the org emulator.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { ExtensionDatabase } from '@/lib/db';
import {
  conversationSubject,
  decideReceived,
  loggedThread,
  recordReceivedMail,
  rememberSentThread,
  rememberThread,
} from '@/lib/logging/inbound';
import { messageStatuses } from '@/lib/logging/reading-pane';
import type { IncomingMessage } from '@/lib/mail/incoming/message';
import type { SentEmailReport } from '@/lib/messages';
import { recordSentEmail } from '@/lib/outbox/queue';
import type { SalesforceClient } from '@/lib/salesforce/client';
import { defaultSettings, type Settings } from '@/lib/settings';
import { type Emulator, startEmulator } from '../../emulator';
import { LOGGING_SEED } from '../outbox/logging-seed';
import { type Clock, connectRep, drain, freshDatabase, loggingSettings, makeRunner, testClock } from '../outbox/org';

const REP = 'aiko.tanaka@demo-org.example';
const CUSTOMER = 'hiroshi.suzuki@sakura-seiki.example';
const THREAD = 'thread-a:r777';
const SENT_AT = Date.parse('2026-11-28T01:00:00Z');

const settings = (over: Partial<Settings> = {}): Settings => ({
  ...defaultSettings(),
  internalDomains: ['demo-org.example'],
  ...over,
});

/** Each test's reply has a Message-ID of its own: the emulator's org is shared, and a second copy would be a duplicate. */
let replies = 0;
function reply(over: Partial<IncomingMessage> = {}): IncomingMessage {
  return {
    messageId: 'msg-f:900',
    threadId: THREAD,
    rfcMessageId: `<reply${++replies}@sakura-seiki.example>`,
    from: { email: CUSTOMER, name: '鈴木 浩' },
    to: [{ email: REP }],
    cc: [],
    subject: 'Re: Line 3 quote',
    bodyHtml: '<p>Thank you, we accept.</p>',
    sentAt: SENT_AT + 3_600_000,
    ...over,
  };
}

async function sendLogged(
  db: ExtensionDatabase,
  over: Partial<SentEmailReport['send']> = {},
  provider: 'gmail' | 'outlook' = 'gmail',
  whatId?: string,
) {
  const report: SentEmailReport = {
    provider,
    mailbox: REP,
    send: {
      messageId: 'msg-a:r777',
      threadId: THREAD,
      scheduled: false,
      from: { email: REP },
      to: [{ email: CUSTOMER }],
      cc: [],
      bcc: [],
      subject: 'Line 3 quote',
      bodyHtml: '<p>The quote.</p>',
      ...over,
    },
    sentAt: SENT_AT,
    loggingOn: true,
    ...(whatId ? { whatId } : {}),
  };
  await recordSentEmail(db, report, settings(), SENT_AT);
  await rememberSentThread(db, report);
}

describe('which received messages are logged', () => {
  const thread = { provider: 'gmail' as const, mailbox: REP, since: SENT_AT };
  it('queues a reply in a logged thread, and ignores one in a thread never logged', () => {
    expect(decideReceived(reply(), REP, thread, settings())).toEqual({ action: 'queue', inbound: 'reply' });
    expect(decideReceived(reply(), REP, undefined, settings())).toEqual({ action: 'ignore' });
  });

  it("ignores the rep's own messages, history from before the logged email, and everything when off or in BCC mode", () => {
    expect(decideReceived(reply({ from: { email: 'Aiko.Tanaka@demo-org.example' } }), REP, thread, settings())).toEqual({
      action: 'ignore',
    });
    expect(decideReceived(reply({ sentAt: SENT_AT - 1 }), REP, thread, settings())).toEqual({ action: 'ignore' });
    expect(decideReceived(reply(), REP, thread, settings({ replyLogging: 'off' }))).toEqual({ action: 'ignore' });
    expect(decideReceived(reply(), REP, thread, settings({ emailLogging: 'bcc' }))).toEqual({ action: 'ignore' });
  });

  it('records a reply from a never-log address or domain as skipped, with the reason', () => {
    expect(decideReceived(reply(), REP, thread, settings({ neverLog: ['sakura-seiki.example'] }))).toEqual({
      action: 'skip',
      reason: 'neverLog',
    });
    const colleague = reply({ from: { email: 'boss@demo-org.example' } });
    expect(decideReceived(colleague, REP, thread, settings())).toEqual({ action: 'skip', reason: 'internalOnly' });
  });

  it('with "all email from matched people", queues mail outside logged threads, to be matched on its sender', () => {
    expect(decideReceived(reply(), REP, undefined, settings({ replyLogging: 'allFromMatched' }))).toEqual({
      action: 'queue',
      inbound: 'fromMatched',
    });
  });

  it('reads a conversation subject through reply and forward prefixes in several languages', () => {
    expect(conversationSubject('RE: Fwd: AW:  Line 3   quote')).toBe('line 3 quote');
    expect(conversationSubject('返信: 見積もり')).toBe('見積もり');
    expect(conversationSubject('Re[2]: x')).toBe('x');
  });
});

describe('recording received messages in the worker', () => {
  let db: ExtensionDatabase;
  beforeEach(() => {
    db = freshDatabase();
  });

  it('queues a reply in a thread whose sent email was logged, once however often the thread loads', async () => {
    await sendLogged(db);
    const report = { provider: 'gmail' as const, mailbox: REP, messages: [reply()] };
    const first = await recordReceivedMail(db, report, settings(), SENT_AT + 4_000_000);
    expect(first).toEqual([{ messageId: 'msg-f:900', key: `gmail:${REP}:msg-f:900`, state: 'queued' }]);
    const again = await recordReceivedMail(db, report, settings(), SENT_AT + 5_000_000);
    expect(again[0]?.state).toBe('queued');
    expect(await db.outbox.count()).toBe(2);
    expect(await db.activities.get(`gmail:${REP}:msg-f:900`)).toMatchObject({
      direction: 'inbound',
      subject: 'Re: Line 3 quote',
      recipients: [{ email: CUSTOMER, name: '鈴木 浩' }, { email: REP }],
    });
  });

  it('recognises a logged Gmail thread by the sent message inside it (shown as the logged email), when the send named no thread', async () => {
    await sendLogged(db, { threadId: undefined });
    const sentCopy = reply({
      messageId: 'msg-a:r777',
      from: { email: REP },
      to: [{ email: CUSTOMER }],
      sentAt: SENT_AT,
      subject: 'Line 3 quote',
    });
    const results = await recordReceivedMail(db, { provider: 'gmail', mailbox: REP, messages: [sentCopy, reply()] }, settings());
    expect(results.map((r) => [r.key, r.state])).toEqual([
      [`gmail:${REP}:msg-a:r777`, 'queued'],
      [`gmail:${REP}:msg-f:900`, 'queued'],
    ]);
    expect(await loggedThread(db, 'gmail', THREAD)).toMatchObject({ mailbox: REP, since: SENT_AT });
  });

  it("recognises an Outlook conversation by the rep's sent copy (same subject, minutes apart), without knowing the mailbox", async () => {
    await sendLogged(db, { messageId: 'owa-abc', threadId: undefined }, 'outlook');
    const conversation = 'AAQkADAwATM0MDAAMS1iNTcy';
    const sentCopy = reply({
      messageId: 'AAMkSentCopy',
      threadId: conversation,
      from: { email: REP },
      to: [{ email: CUSTOMER }],
      subject: 'Line 3 quote',
      sentAt: SENT_AT + 20_000,
    });
    const answer = reply({ messageId: 'AAMkReply', threadId: conversation, subject: 'RE: Line 3 quote' });
    const results = await recordReceivedMail(db, { provider: 'outlook', mailbox: null, messages: [sentCopy, answer] }, settings());
    expect(results.map((r) => r.state)).toEqual(['notLogged', 'queued']);
    // A later reply is known by the conversation alone.
    const later = reply({ messageId: 'AAMkLater', threadId: conversation, sentAt: SENT_AT + 9_000_000 });
    expect((await recordReceivedMail(db, { provider: 'outlook', mailbox: null, messages: [later] }, settings()))[0]?.state).toBe('queued');
  });

  it("shows an Outlook sent copy as the send's Activity in the reading pane, also in a conversation the send named", async () => {
    await sendLogged(db, { messageId: 'owa-new', threadId: undefined }, 'outlook');
    await sendLogged(db, { messageId: 'AAMkReplyDraft', threadId: 'AAQkKnown', subject: 'RE: Parts list' }, 'outlook');
    const copy = (messageId: string, threadId: string, subject: string) =>
      reply({ messageId, threadId, from: { email: REP }, to: [{ email: CUSTOMER }], subject, sentAt: SENT_AT + 20_000 });
    const copies = [copy('AAMkCopyNew', 'AAQkNew', 'Line 3 quote'), copy('AAMkCopyReply', 'AAQkKnown', 'RE: Parts list')];
    for (const sent of copies) await recordReceivedMail(db, { provider: 'outlook', mailbox: REP, messages: [sent] }, settings());
    const statuses = await messageStatuses(db, 'outlook', REP, ['AAMkCopyNew', 'AAMkCopyReply', 'AAMkOther']);
    expect(statuses.map((s) => [s.messageId, s.state, s.direction])).toEqual([
      ['AAMkCopyNew', 'queued', 'outbound'],
      ['AAMkCopyReply', 'queued', 'outbound'],
      ['AAMkOther', 'notLogged', 'outbound'],
    ]);
    // Nothing new to log: the copies are the sent emails.
    expect(await db.outbox.count()).toBe(2);
  });

  it('gives the replies of an Outlook conversation found by its sent copy the record picked in the compose', async () => {
    const opportunity = '006000000000001AAA';
    await sendLogged(db, { messageId: 'owa-abc', threadId: undefined }, 'outlook', opportunity);
    const conversation = 'AAQkADAwATM0MDAAMS1iNTcy';
    const sentCopy = reply({
      messageId: 'AAMkSentCopy',
      threadId: conversation,
      from: { email: REP },
      subject: 'Line 3 quote',
      sentAt: SENT_AT + 20_000,
    });
    const answer = reply({ messageId: 'AAMkReply', threadId: conversation, subject: 'RE: Line 3 quote' });
    await recordReceivedMail(db, { provider: 'outlook', mailbox: null, messages: [sentCopy, answer] }, settings());
    expect((await db.outbox.get(`outlook:${REP}:AAMkReply`))?.payload).toMatchObject({ whatId: opportunity });
    expect(await loggedThread(db, 'outlook', conversation)).toMatchObject({ whatId: opportunity });
  });

  it('does not take a sent copy of another subject, or one sent long before, for the logged email', async () => {
    await sendLogged(db, { messageId: 'owa-abc', threadId: undefined }, 'outlook');
    const other = reply({ messageId: 'AAMk1', threadId: 'conv-1', from: { email: REP }, subject: 'Something else', sentAt: SENT_AT });
    const late = reply({
      messageId: 'AAMk2',
      threadId: 'conv-2',
      from: { email: REP },
      subject: 'Line 3 quote',
      sentAt: SENT_AT + 3_600_000,
    });
    for (const sentCopy of [other, late]) {
      const answer = reply({ messageId: `${sentCopy.messageId}-r`, threadId: sentCopy.threadId, sentAt: SENT_AT + 7_200_000 });
      const results = await recordReceivedMail(db, { provider: 'outlook', mailbox: REP, messages: [sentCopy, answer] }, settings());
      expect(results.map((r) => r.state)).toEqual(['notLogged', 'notLogged']);
    }
    expect(await db.outbox.count()).toBe(1);
  });

  it('refuses a malformed report instead of recording part of it', async () => {
    const bad = { provider: 'gmail' as const, mailbox: REP, messages: [{ ...reply(), from: { email: 'not an address' } }] };
    await expect(recordReceivedMail(db, bad, settings())).rejects.toThrow('malformed');
  });
});

describe('what a received reply becomes in Salesforce', () => {
  let sf: Emulator;
  let client: SalesforceClient;
  let db: ExtensionDatabase;
  let clock: Clock;
  beforeAll(async () => {
    sf = await startEmulator({ port: 0, seed: LOGGING_SEED });
  });
  afterAll(() => sf.stop());
  beforeEach(async () => {
    client = await connectRep(sf);
    db = freshDatabase();
    clock = testClock(SENT_AT);
  });
  const contact = (email: string) => sf.org.records('Contact').find((c) => String(c.Email).toLowerCase() === email)!;

  it('a Task on the same contact and account, its header naming the customer as the sender, one API call once known', async () => {
    const runner = makeRunner({ db, client, clock });
    await sendLogged(db);
    await drain(runner, clock);
    clock.set(SENT_AT + 3_700_000);
    sf.control.resetCalls();
    const answer = reply();
    await recordReceivedMail(db, { provider: 'gmail', mailbox: REP, messages: [answer] }, settings(), clock.now());
    await drain(runner, clock);
    const tasks = sf.org.records('Task').filter((t) => String(t.Description).includes(answer.rfcMessageId!));
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ WhoId: contact(CUSTOMER).Id, WhatId: contact(CUSTOMER).AccountId, TaskSubtype: 'Email' });
    expect(String(tasks[0]!.Description)).toMatch(
      /^From: 鈴木 浩 <hiroshi\.suzuki@sakura-seiki\.example>\nTo: aiko\.tanaka@demo-org\.example\n/,
    );
    expect(String(tasks[0]!.Subject)).toBe('Email: Re: Line 3 quote');
    expect(sf.control.calls().total).toBe(1);
    expect(await db.activities.get(`gmail:${REP}:msg-f:900`)).toMatchObject({ state: 'logged', direction: 'inbound' });
  });

  it('an incoming EmailMessage in Enhanced Email mode, the customer as its sender relation', async () => {
    // A user with "Update Email Messages": without it the org refuses relations added to the message.
    sf.control.configure({ updateEmailMessages: true });
    onTestFinished(() => void sf.control.configure({ updateEmailMessages: false }));
    const runner = makeRunner({ db, client, clock, settings: () => loggingSettings({ logAs: 'enhancedEmail' }) });
    await sendLogged(db);
    clock.set(SENT_AT + 3_700_000);
    const answer = reply();
    await recordReceivedMail(db, { provider: 'gmail', mailbox: REP, messages: [answer] }, settings(), clock.now());
    await drain(runner, clock);
    const message = sf.org.records('EmailMessage').find((m) => m.MessageIdentifier === answer.rfcMessageId);
    expect(message).toMatchObject({ Incoming: true, Status: '1', FromAddress: CUSTOMER, Subject: 'Re: Line 3 quote' });
    const relations = sf.org.records('EmailMessageRelation').filter((r) => r.EmailMessageId === message!.Id);
    expect(relations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ RelationType: 'FromAddress', RelationId: contact(CUSTOMER).Id }),
        expect.objectContaining({ RelationType: 'ToAddress', RelationAddress: REP }),
      ]),
    );
  });

  it('follows the Opportunity the rep chose for the thread (WhatId)', async () => {
    const runner = makeRunner({ db, client, clock });
    const opportunity = sf.org.records('Opportunity')[0]!;
    await sendLogged(db);
    await rememberThread(db, { provider: 'gmail', mailbox: REP, since: SENT_AT, threadId: THREAD, whatId: String(opportunity.Id) });
    clock.set(SENT_AT + 3_700_000);
    const answer = reply();
    await recordReceivedMail(db, { provider: 'gmail', mailbox: REP, messages: [answer] }, settings(), clock.now());
    await drain(runner, clock);
    const [task] = sf.org.records('Task').filter((t) => String(t.Description).includes(answer.rfcMessageId!));
    expect(task).toMatchObject({ WhoId: contact(CUSTOMER).Id, WhatId: opportunity.Id });
  });

  it("logs a sent email to the Opportunity picked in its compose, and the thread's replies to it too", async () => {
    const runner = makeRunner({ db, client, clock });
    const opportunity = String(sf.org.records('Opportunity')[0]!.Id);
    await sendLogged(db, {}, 'gmail', opportunity);
    expect(await loggedThread(db, 'gmail', THREAD)).toMatchObject({ whatId: opportunity });
    clock.set(SENT_AT + 3_700_000);
    const answer = reply();
    await recordReceivedMail(db, { provider: 'gmail', mailbox: REP, messages: [answer] }, settings(), clock.now());
    await drain(runner, clock);
    // The org is shared by the tests of this block: the sent email's Task is the newest of its subject.
    const sent = sf.org.records('Task').findLast((t) => t.Subject === 'Email: Line 3 quote');
    const [replied] = sf.org.records('Task').filter((t) => String(t.Description).includes(answer.rfcMessageId!));
    expect(sent).toMatchObject({ WhoId: contact(CUSTOMER).Id, WhatId: opportunity });
    expect(replied).toMatchObject({ WhoId: contact(CUSTOMER).Id, WhatId: opportunity });
  });

  it('with "all email from matched people", logs mail from a contact and skips mail whose sender matches nothing', async () => {
    const runner = makeRunner({ db, client, clock });
    const all = settings({ replyLogging: 'allFromMatched' });
    const fromContact = reply({ messageId: 'msg-f:1', threadId: 'thread-f:1', subject: 'Question' });
    const fromStranger = reply({
      messageId: 'msg-f:2',
      threadId: 'thread-f:2',
      subject: 'Cold pitch',
      from: { email: 'sales@vendor.example' },
      cc: [{ email: CUSTOMER }],
    });
    await recordReceivedMail(db, { provider: 'gmail', mailbox: REP, messages: [fromContact, fromStranger] }, all, clock.now());
    await drain(runner, clock);
    expect(sf.org.records('Task').filter((t) => t.Subject === 'Email: Question')).toHaveLength(1);
    expect(sf.org.records('Task').filter((t) => t.Subject === 'Email: Cold pitch')).toHaveLength(0);
    expect(sf.org.records('Lead').filter((l) => l.Email === 'sales@vendor.example')).toHaveLength(0);
    expect(await db.activities.get(`gmail:${REP}:msg-f:2`)).toMatchObject({ state: 'skipped', reason: 'noMatch' });
  });
});
