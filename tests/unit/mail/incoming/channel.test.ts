/** What the page world and a mail page may send about received mail, and what is refused. */
import { describe, expect, it } from 'vitest';
import { BRIDGE_CHANNEL, readBridgeMessage } from '@/lib/mail/bridge';
import type { IncomingMessage } from '@/lib/mail/incoming/message';
import { type SenderInfo, validateMessage } from '@/lib/messages';

const ID = 'hnlekkcnbcebeecddbkacphgkinejdon';
const ORIGIN = `chrome-extension://${ID}/`;
const gmailTab: SenderInfo = { id: ID, url: 'https://mail.google.com/mail/u/0/#inbox', tab: { id: 7 }, frameId: 0 };
const optionsPage: SenderInfo = { id: ID, url: `${ORIGIN}options.html` };

const message: IncomingMessage = {
  messageId: 'msg-f:1',
  threadId: 'thread-f:1',
  from: { email: 'buyer@customer.com' },
  to: [{ email: 'rep@acme.com' }],
  cc: [],
  subject: 'Re: Quote',
  bodyHtml: '<p>ok</p>',
  sentAt: Date.parse('2026-11-30T10:00:00Z'),
};

describe('received mail on the bridge', () => {
  it('takes a well-formed report, copied field by field', () => {
    const read = readBridgeMessage(
      { channel: BRIDGE_CHANNEL, provider: 'gmail', kind: 'messages-received', messages: [{ ...message, extra: 1 }] },
      'gmail',
    );
    expect(read).toEqual({ channel: BRIDGE_CHANNEL, provider: 'gmail', kind: 'messages-received', messages: [message] });
  });

  it.each([
    ['no messages', []],
    ['a sender that is no address', [{ ...message, from: { email: 'nobody' } }]],
    ['a date in the future', [{ ...message, sentAt: Date.now() + 3 * 86_400_000 }]],
    ['a body over its bound', [{ ...message, bodyHtml: 'x'.repeat(2_000_001) }]],
    ['too many messages', Array.from({ length: 101 }, (_, i) => ({ ...message, messageId: `msg-f:${i}` }))],
  ])('refuses a report with %s', (_, messages) => {
    expect(readBridgeMessage({ channel: BRIDGE_CHANNEL, provider: 'gmail', kind: 'messages-received', messages }, 'gmail')).toBeNull();
  });
});

describe("the worker's checks of received mail and the reading pane", () => {
  const check = (raw: Record<string, unknown>, sender: SenderInfo = gmailTab) => validateMessage(raw, sender, ID, ORIGIN);

  it('accepts a mail page reporting received mail, with or without its mailbox', () => {
    expect(check({ type: 'mail/received', provider: 'gmail', mailbox: 'rep@acme.com', messages: [message] }).ok).toBe(true);
    expect(check({ type: 'mail/received', provider: 'gmail', mailbox: null, messages: [message] }).ok).toBe(true);
  });

  it('refuses it from the options page, for another provider, or malformed', () => {
    expect(check({ type: 'mail/received', provider: 'gmail', mailbox: null, messages: [message] }, optionsPage)).toMatchObject({
      ok: false,
      error: { kind: 'forbiddenSender' },
    });
    expect(check({ type: 'mail/received', provider: 'outlook', mailbox: null, messages: [message] })).toMatchObject({ ok: false });
    expect(check({ type: 'mail/received', provider: 'gmail', mailbox: null, messages: [{ ...message, messageId: 'a b' }] })).toMatchObject({
      ok: false,
      error: { kind: 'invalidMessage' },
    });
  });

  it('takes "Log this email" only with an Account or Opportunity id to relate it to', () => {
    const log = { type: 'reading/logThis', provider: 'gmail', mailbox: 'rep@acme.com', message };
    expect(check(log).ok).toBe(true);
    expect(check({ ...log, whatId: '006000000000001AAA' }).ok).toBe(true);
    expect(check({ ...log, whatId: '003000000000001AAA' })).toMatchObject({ ok: false });
    expect(check({ ...log, whatId: "006' OR Name != '" })).toMatchObject({ ok: false });
    expect(check({ type: 'reading/related', provider: 'gmail', addresses: ['buyer@customer.com'] }).ok).toBe(true);
    expect(check({ type: 'reading/related', provider: 'gmail', addresses: ["x' OR Id != '"] })).toMatchObject({ ok: false });
    expect(check({ type: 'reading/status', provider: 'gmail', mailbox: 'rep@acme.com', messageIds: ['msg-f:1'] }).ok).toBe(true);
  });
});
