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
  it('takes the text of a loaded answer with its URL', () => {
    const report = { channel: BRIDGE_CHANNEL, provider: 'gmail', kind: 'answer-loaded', url: '/sync/u/0/i/fd', text: '[]', extra: 1 };
    expect(readBridgeMessage(report, 'gmail')).toEqual({
      channel: BRIDGE_CHANNEL,
      provider: 'gmail',
      kind: 'answer-loaded',
      url: '/sync/u/0/i/fd',
      text: '[]',
    });
  });

  it.each([
    ['no text', { url: '/sync/u/0/i/fd' }],
    ['a text over its bound', { url: '/sync/u/0/i/fd', text: 'x'.repeat(4_000_001) }],
    ['a URL that is not text', { url: 7, text: '[]' }],
  ])('refuses a report with %s', (_, fields) => {
    expect(readBridgeMessage({ channel: BRIDGE_CHANNEL, provider: 'gmail', kind: 'answer-loaded', ...fields }, 'gmail')).toBeNull();
  });
});

describe("the worker's checks of received mail and the reading pane", () => {
  const check = (raw: Record<string, unknown>, sender: SenderInfo = gmailTab) => validateMessage(raw, sender, ID, ORIGIN);

  const received = { type: 'mail/received', provider: 'gmail', url: '/sync/u/0/i/fd', text: '[]' };
  it('accepts a mail page handing on a loaded answer, with or without its mailbox', () => {
    expect(check({ ...received, mailbox: 'rep@acme.com' }).ok).toBe(true);
    expect(check({ ...received, mailbox: null }).ok).toBe(true);
  });

  it('refuses it from the options page, for another provider, or malformed', () => {
    expect(check({ ...received, mailbox: null }, optionsPage)).toMatchObject({ ok: false, error: { kind: 'forbiddenSender' } });
    expect(check({ ...received, provider: 'outlook', mailbox: null })).toMatchObject({ ok: false });
    expect(check({ ...received, mailbox: null, text: 'x'.repeat(4_000_001) })).toMatchObject({
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
