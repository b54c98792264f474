import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '@/lib/db';
import type { SentEmailReport } from '@/lib/messages';
import { decideSentEmail, emailKey, type OutboxEmailPayload, recordSentEmail, type SentEmailSettings } from '@/lib/outbox/queue';

const BCC = 'emailtosalesforce@k-1a2b.r-9z8y.na123.le.salesforce.com';
const settings: SentEmailSettings = {
  emailLogging: 'api',
  internalDomains: ['acme.com'],
  neverLog: [],
  loggedMailboxes: [],
  bccAddress: BCC,
  scheduledSends: 'logWhenScheduled',
};
const report: SentEmailReport = {
  provider: 'gmail',
  mailbox: 'Rep@Acme.com',
  send: {
    messageId: 'msg-a:r8190137112111191537',
    threadId: 'thread-a:r263523620390330024',
    scheduled: false,
    from: { email: 'rep@acme.com', name: 'Rep' },
    to: [{ email: 'buyer@customer.com', name: 'Buyer' }],
    cc: [],
    bcc: [],
    subject: 'Quote',
    bodyHtml: '<div>Hello</div>',
  },
  rfcMessageId: '<CAF@mail.gmail.com>',
  sentAt: Date.parse('2026-11-28T09:00:00Z'),
  loggingOn: true,
};
const KEY = 'gmail:rep@acme.com:msg-a:r8190137112111191537';
// Dexie keeps the IndexedDB it found at load, so each test opens a database of its own.
let dbCount = 0;
const freshDatabase = () => openDatabase(`queue-test-${++dbCount}`);

describe('recording a sent email in the worker', () => {
  it('queues an API email durably with its Activity row, under its stable key', async () => {
    const db = freshDatabase();
    expect(await recordSentEmail(db, report, settings, 1000)).toEqual({ state: 'queued' });
    expect(emailKey('gmail', 'Rep@Acme.com', report.send.messageId)).toBe(KEY);
    const entry = await db.outbox.get(KEY);
    const payload = entry?.payload as OutboxEmailPayload;
    expect(entry).toMatchObject({ kind: 'email', attempts: 0, nextAttemptAt: 1000, createdAt: 1000 });
    expect(payload).toEqual({
      provider: 'gmail',
      mailbox: 'rep@acme.com',
      messageId: report.send.messageId,
      threadId: report.send.threadId,
      rfcMessageId: '<CAF@mail.gmail.com>',
      scheduled: false,
      sentAt: report.sentAt,
      from: report.send.from,
      to: report.send.to,
      cc: [],
      bcc: [],
      subject: 'Quote',
      bodyHtml: '<div>Hello</div>',
    });
    expect(await db.activities.get(KEY)).toMatchObject({
      state: 'queued',
      subject: 'Quote',
      mailbox: 'rep@acme.com',
      sentAt: report.sentAt,
    });
    db.close();
  });

  it('carries the Account or Opportunity the rep picked in the compose to the API logger', async () => {
    const db = freshDatabase();
    await recordSentEmail(db, { ...report, whatId: '006000000000001AAA' }, settings, 1000);
    expect((await db.outbox.get(KEY))?.payload).toMatchObject({ whatId: '006000000000001AAA' });
    db.close();
  });

  it('treats a second report of the same email as a no-op', async () => {
    const db = freshDatabase();
    await recordSentEmail(db, report, settings, 1000);
    await db.activities.update(KEY, { state: 'logged' });
    await db.outbox.delete(KEY);
    expect(await recordSentEmail(db, { ...report, send: { ...report.send, subject: 'changed' } }, settings, 2000)).toEqual({
      state: 'logged',
    });
    expect(await db.outbox.count()).toBe(0);
    expect((await db.activities.get(KEY))?.subject).toBe('Quote');
    db.close();
  });

  it('writes the outbox entry and the Activity row together or not at all', async () => {
    const db = freshDatabase();
    vi.spyOn(db.outbox, 'put').mockRejectedValueOnce(new Error('disk full'));
    await expect(recordSentEmail(db, report, settings)).rejects.toThrow('disk full');
    expect(await db.activities.count()).toBe(0);
    expect(await recordSentEmail(db, report, settings)).toEqual({ state: 'queued' });
    expect(await db.outbox.count()).toBe(1);
    db.close();
  });

  it('records an email logged by the BCC copy, with no outbox entry', async () => {
    const db = freshDatabase();
    const bccReport = { ...report, send: { ...report.send, bcc: [{ email: BCC.toUpperCase() }] } };
    expect(await recordSentEmail(db, bccReport, { ...settings, emailLogging: 'bcc' })).toEqual({ state: 'logged', reason: 'bcc' });
    expect(await db.outbox.count()).toBe(0);
    expect(await db.activities.get(KEY)).toMatchObject({ state: 'logged', reason: 'bcc' });
    db.close();
  });

  it('queues a BCC-mode email whose copy did not go out for the API when connected, noting why on its Activity row', async () => {
    const db = freshDatabase();
    const owner = { orgId: '00D000000000001AAA', userId: '005000000000001AAA', instanceUrl: 'https://acme.my.salesforce.com' };
    expect(await recordSentEmail(db, report, { ...settings, emailLogging: 'bcc' }, 1000, owner)).toEqual({ state: 'queued' });
    expect(await db.activities.get(KEY)).toMatchObject({ state: 'queued', fallback: 'bccMissing' });
    expect((await db.activities.get(KEY))?.reason).toBeUndefined();
    expect(await db.outbox.get(KEY)).toMatchObject({ kind: 'email', owner, payload: { messageId: report.send.messageId, bcc: [] } });
    // Without a connection it stays not logged, with the reason.
    const unconnected = freshDatabase();
    expect(await recordSentEmail(unconnected, report, { ...settings, emailLogging: 'bcc' })).toEqual({
      state: 'skipped',
      reason: 'bccMissing',
    });
    expect(await unconnected.outbox.count()).toBe(0);
    db.close();
    unconnected.close();
  });

  it('records a skipped email with its reason and queues nothing', async () => {
    const db = freshDatabase();
    expect(await recordSentEmail(db, { ...report, loggingOn: false }, settings)).toEqual({ state: 'skipped', reason: 'turnedOff' });
    expect(await db.outbox.count()).toBe(0);
    expect(await db.activities.get(KEY)).toMatchObject({ state: 'skipped', reason: 'turnedOff' });
    db.close();
  });

  it('keeps nothing at all while email logging is off', async () => {
    const db = freshDatabase();
    expect(await recordSentEmail(db, report, { ...settings, emailLogging: 'off' })).toEqual({ state: 'skipped', reason: 'off' });
    expect(await db.activities.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    db.close();
  });

  it('refuses a malformed email without writing anything', async () => {
    const db = freshDatabase();
    const bad = { ...report, send: { ...report.send, to: [{ email: 'nope' }] } };
    await expect(recordSentEmail(db, bad, settings)).rejects.toThrow(/malformed/);
    expect(await db.activities.count()).toBe(0);
    db.close();
  });
});

describe('deciding what happens to a sent email', () => {
  const decide = (r: Partial<SentEmailReport>, s: Partial<SentEmailSettings> = {}) =>
    decideSentEmail({ ...report, ...r }, { ...settings, ...s });

  it.each([
    ['sent from another address than the mailbox', { send: { ...report.send, from: { email: 'someone@else.com' } } }, {}, 'fromNotMailbox'],
    ['logging off in settings', {}, { emailLogging: 'off' as const }, 'off'],
    ['the rep switched it off', { loggingOn: false }, {}, 'turnedOff'],
    [
      'scheduled, with scheduled sends skipped',
      { send: { ...report.send, scheduled: true } },
      { scheduledSends: 'skip' as const },
      'scheduled',
    ],
    ['internal only', { send: { ...report.send, to: [{ email: 'boss@acme.com' }] } }, {}, 'internalOnly'],
    ['a never-log recipient', {}, { neverLog: ['customer.com'] }, 'neverLog'],
    ['another mailbox than the logged ones', {}, { loggedMailboxes: ['sales@acme.com'] }, 'mailboxNotLogged'],
    ['BCC mode without an address', {}, { emailLogging: 'bcc' as const, bccAddress: '' }, 'noBccAddress'],
    ['BCC mode but the copy was removed', {}, { emailLogging: 'bcc' as const }, 'bccMissing'],
  ])('skips an email %s', (_, r, s, reason) => {
    expect(decide(r, s)).toEqual({ action: 'skip', reason });
  });

  it('in BCC mode, queues for the API an email whose copy did not go out when connected, and notes why', () => {
    const bcc = { emailLogging: 'bcc' as const };
    expect(decideSentEmail(report, { ...settings, ...bcc }, true)).toEqual({ action: 'queue', fallback: 'bccMissing' });
    // The copy went out (the compose's chip, or the page world added it to the request): Salesforce logs it.
    const copied = { send: { ...report.send, bcc: [{ email: BCC }], bccAdded: true as const } };
    expect(decideSentEmail({ ...report, ...copied }, { ...settings, ...bcc }, true)).toEqual({ action: 'bcc' });
    // The rules before it still apply: a switched-off or excluded email is not logged either way.
    expect(decideSentEmail({ ...report, loggingOn: false }, { ...settings, ...bcc }, true)).toEqual({
      action: 'skip',
      reason: 'turnedOff',
    });
    expect(decideSentEmail(report, { ...settings, ...bcc, neverLog: ['customer.com'] }, true)).toEqual({
      action: 'skip',
      reason: 'neverLog',
    });
    expect(decideSentEmail(report, { ...settings, ...bcc, bccAddress: '' }, true)).toEqual({ action: 'skip', reason: 'noBccAddress' });
    // API mode is unchanged by the connection.
    expect(decideSentEmail(report, settings, true)).toEqual({ action: 'queue' });
  });

  it('queues a scheduled send when scheduled sends are logged when scheduled', () => {
    expect(decide({ send: { ...report.send, scheduled: true } })).toEqual({ action: 'queue' });
  });
});
