import { describe, expect, it } from 'vitest';
import { type SenderInfo, validateMessage } from '@/lib/messages';
import { detectedSend } from '../support/mail';

const ID = 'hnlekkcnbcebeecddbkacphgkinejdon';
const ORIGIN = `chrome-extension://${ID}/`;
const gmailTab: SenderInfo = { id: ID, url: 'https://mail.google.com/mail/u/0/#inbox', tab: { id: 7 }, frameId: 0 };
const optionsPage: SenderInfo = { id: ID, url: `${ORIGIN}options.html` };

const sent = {
  type: 'mail/sent',
  provider: 'gmail',
  mailbox: 'rep@acme.com',
  send: detectedSend({ bodyHtml: '<p>hi</p>' }),
  sentAt: Date.now(),
  loggingOn: true,
};
const preview = { type: 'compose/preview', provider: 'gmail', mailbox: 'rep@acme.com', recipients: [{ email: 'b@c.co' }], on: true };
const check = (message: unknown, sender = gmailTab) => validateMessage(message, sender, ID, ORIGIN);

describe('the worker checks mail messages from content scripts', () => {
  it('accepts well-formed reports and previews from a mail page', () => {
    expect(check(sent)).toMatchObject({ ok: true });
    expect(check({ ...sent, rfcMessageId: '<CAF@mail.gmail.com>' })).toMatchObject({ ok: true });
    expect(check({ ...sent, whatId: '006000000000001AAA' })).toMatchObject({ ok: true });
    expect(check({ ...sent, whatId: '001000000000001' })).toMatchObject({ ok: true });
    expect(check(preview)).toMatchObject({ ok: true });
    expect(check({ ...preview, mailbox: null, recipients: [] })).toMatchObject({ ok: true });
  });

  it("lets a mail tab load only its own provider's on-demand scripts", () => {
    const outlookTab: SenderInfo = { ...gmailTab, url: 'https://outlook.office.com/mail/' };
    expect(check({ type: 'script/load', script: 'gmail-compose' })).toMatchObject({ ok: true });
    expect(check({ type: 'script/load', script: 'gmail-pane' })).toMatchObject({ ok: true });
    expect(check({ type: 'script/load', script: 'outlook-compose' }, outlookTab)).toMatchObject({ ok: true });
    expect(check({ type: 'script/load', script: 'outlook-pane' }, outlookTab)).toMatchObject({ ok: true });
    for (const script of ['outlook-compose', 'outlook-pane', 'background', 'constructor', '../popup', ['gmail-compose'], undefined]) {
      expect(check({ type: 'script/load', script })).toMatchObject({ ok: false, error: { kind: 'invalidMessage' } });
    }
    expect(check({ type: 'script/load', script: 'gmail-pane' }, outlookTab)).toMatchObject({ ok: false });
    expect(check({ type: 'script/load', script: 'gmail-pane' }, optionsPage)).toMatchObject({
      ok: false,
      error: { kind: 'forbiddenSender' },
    });
  });

  it('accepts them only from a content script of the same provider', () => {
    expect(check(sent, optionsPage)).toMatchObject({ ok: false, error: { kind: 'forbiddenSender' } });
    expect(check({ ...sent, provider: 'outlook' })).toMatchObject({ ok: false, error: { kind: 'invalidMessage' } });
    expect(check({ ...preview, provider: 'outlook' })).toMatchObject({ ok: false, error: { kind: 'invalidMessage' } });
  });

  it.each([
    ['an extra field', { ...sent, state: 'logged' }],
    ['a bad mailbox', { ...sent, mailbox: 'rep' }],
    ['a malformed send', { ...sent, send: { ...sent.send, cc: null } }],
    ['a body over 2 MB', { ...sent, send: { ...sent.send, bodyHtml: 'x'.repeat(2_000_001) } }],
    ['a subject over 10,000 characters', { ...sent, send: { ...sent.send, subject: 'x'.repeat(10_001) } }],
    ['over 500 recipients', { ...sent, send: { ...sent.send, to: Array.from({ length: 501 }, (_, i) => ({ email: `p${i}@x.co` })) } }],
    ['a bad Message-ID', { ...sent, rfcMessageId: 'CAF' }],
    ['a time far in the future', { ...sent, sentAt: Date.now() + 10 * 86_400_000 }],
    ['a time that is not a number', { ...sent, sentAt: '2026' }],
    ['loggingOn not a boolean', { ...sent, loggingOn: 1 }],
    ['a related record that is a Contact', { ...sent, whatId: '003000000000001AAA' }],
    ['a related record id of the wrong length', { ...sent, whatId: '0060000000000001' }],
    ['a related record that is not an id', { ...sent, whatId: ['006000000000001AAA'] }],
  ])('refuses a report with %s', (_, message) => {
    expect(check(message)).toMatchObject({ ok: false, error: { kind: 'invalidMessage' } });
  });

  it.each([
    ['recipients not addresses', { ...preview, recipients: ['b@c.co'] }],
    ['a bad mailbox', { ...preview, mailbox: 3 }],
    ['on missing', { ...preview, on: undefined }],
  ])('refuses a preview with %s', (_, message) => {
    expect(check(message)).toMatchObject({ ok: false, error: { kind: 'invalidMessage' } });
  });
});
