import { describe, expect, it } from 'vitest';
import { BRIDGE_CHANNEL, bccPolicyOf, readBridgeMessage } from '@/lib/mail/bridge';
import { readDetectedSend, SEND_LIMITS } from '@/lib/mail/detected-send';

const send = {
  messageId: 'msg-a:r8190137112111191537',
  threadId: 'thread-a:r263523620390330024',
  scheduled: false,
  from: { email: 'rep@acme.com', name: 'Rep' },
  to: [{ email: 'buyer@customer.com', name: 'Buyer' }],
  cc: [],
  bcc: [],
  subject: 'Quote',
  bodyHtml: '<div>Hello</div>',
};
const envelope = { channel: BRIDGE_CHANNEL, provider: 'gmail' };

describe('reading a send reported by the page', () => {
  it('accepts a well-formed send and returns a copy', () => {
    const read = readDetectedSend(send);
    expect(read).toEqual(send);
    expect(read).not.toBe(send);
    expect(read?.to[0]).not.toBe(send.to[0]);
  });

  it('drops unknown fields and an empty name', () => {
    const read = readDetectedSend({ ...send, extra: 'x', to: [{ email: 'a@b.co', name: '', role: 'x' }] });
    expect(read).not.toHaveProperty('extra');
    expect(read?.to).toEqual([{ email: 'a@b.co' }]);
  });

  it.each([
    ['a missing id', { ...send, messageId: undefined }],
    ['an id with spaces', { ...send, messageId: 'msg a' }],
    ['an overlong id', { ...send, messageId: `msg-${'1'.repeat(300)}` }],
    ['scheduled not a boolean', { ...send, scheduled: 'no' }],
    ['a bad recipient address', { ...send, to: [{ email: 'not an address' }] }],
    ['a recipient that is a string', { ...send, cc: ['a@b.co'] }],
    ['recipients not a list', { ...send, bcc: {} }],
    ['a bad sender', { ...send, from: { email: 42 } }],
    ['a subject over the limit', { ...send, subject: 'x'.repeat(SEND_LIMITS.subjectLength + 1) }],
    ['a body over the limit', { ...send, bodyHtml: 'x'.repeat(SEND_LIMITS.bodyLength + 1) }],
    ['too many recipients', { ...send, to: Array.from({ length: 501 }, (_, i) => ({ email: `p${i}@x.co` })) }],
    ['a name over the limit', { ...send, to: [{ email: 'a@b.co', name: 'n'.repeat(301) }] }],
    ['an array', [send]],
    ['null', null],
  ])('refuses %s', (_, value) => {
    expect(readDetectedSend(value)).toBeNull();
  });

  it('accepts a subject of 10,000 characters and non-Latin names', () => {
    const read = readDetectedSend({ ...send, subject: 'あ'.repeat(10_000), to: [{ email: 'tanaka@example.jp', name: '田中 太郎' }] });
    expect(read?.subject).toHaveLength(10_000);
    expect(read?.to[0]?.name).toBe('田中 太郎');
  });

  it('does not let a __proto__ key change the copy', () => {
    const hostile = JSON.parse(
      `{"messageId":"msg-a:r1","scheduled":false,"to":[],"cc":[],"bcc":[],"subject":"s","bodyHtml":"b","__proto__":{"polluted":true}}`,
    );
    const read = readDetectedSend(hostile) as unknown as Record<string, unknown>;
    expect(read.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('reading bridge messages', () => {
  it('reads each kind', () => {
    expect(readBridgeMessage({ ...envelope, kind: 'page-ready' }, 'gmail')).toEqual({ ...envelope, kind: 'page-ready' });
    expect(readBridgeMessage({ ...envelope, kind: 'sends-detected', sends: [send] }, 'gmail')).toEqual({
      ...envelope,
      kind: 'sends-detected',
      sends: [send],
    });
    expect(
      readBridgeMessage(
        { ...envelope, kind: 'send-outcome', messageId: send.messageId, ok: true, rfcMessageId: '<a.b@mail.gmail.com>' },
        'gmail',
      ),
    ).toMatchObject({ kind: 'send-outcome', ok: true, rfcMessageId: '<a.b@mail.gmail.com>' });
    expect(readBridgeMessage({ ...envelope, kind: 'drafts-saved', messageIds: ['msg-a:r1'] }, 'gmail')).toMatchObject({
      messageIds: ['msg-a:r1'],
    });
  });

  it.each([
    ['another provider', { ...envelope, provider: 'outlook', kind: 'page-ready' }],
    ['another channel', { ...envelope, channel: 'x', kind: 'page-ready' }],
    ['an unknown kind', { ...envelope, kind: 'settings-change' }],
    ['a malformed send among good ones', { ...envelope, kind: 'sends-detected', sends: [send, { ...send, to: 'x' }] }],
    ['no sends', { ...envelope, kind: 'sends-detected', sends: [] }],
    ['too many sends', { ...envelope, kind: 'sends-detected', sends: Array.from({ length: 51 }, () => send) }],
    ['an outcome without ok', { ...envelope, kind: 'send-outcome', messageId: 'msg-a:r1' }],
    ['an outcome with a bad Message-ID', { ...envelope, kind: 'send-outcome', messageId: 'msg-a:r1', ok: true, rfcMessageId: 'nope' }],
    ['draft ids that are not ids', { ...envelope, kind: 'drafts-saved', messageIds: [1] }],
    ['a string', 'sales-activity-sync'],
  ])('ignores %s', (_, data) => {
    expect(readBridgeMessage(data, 'gmail')).toBeNull();
  });
});

describe('reading the BCC policy the isolated script posts (in the page world)', () => {
  const policy = {
    address: 'emailtosalesforce@abc.le.salesforce.com',
    mailbox: 'rep@acme.com',
    on: ['msg-a:r1'],
    off: ['msg-a:r2'],
    others: true,
    skipScheduled: false,
    internalDomains: ['acme.com'],
    neverLog: ['legal@acme.com'],
    loggedMailboxes: [],
  };
  const message = (p: unknown) => ({ ...envelope, kind: 'bcc-policy', policy: p });

  it('reads a policy into a fresh copy, and a null one as no policy', () => {
    const data = message(policy);
    const read = bccPolicyOf(data, 'gmail');
    expect(read).toEqual(policy);
    (data.policy as typeof policy).off.push('msg-a:r1');
    expect(read?.off).toEqual(['msg-a:r2']);
    expect(bccPolicyOf(message(null), 'gmail')).toBeNull();
    expect(bccPolicyOf(message({ ...policy, mailbox: null }), 'gmail')).toMatchObject({ mailbox: null });
    // Not read as a report by the isolated script.
    expect(readBridgeMessage(data, 'gmail')).toBeNull();
  });

  it.each([
    ['an address that is not one', { ...policy, address: 'not an address' }],
    ['no address', { ...policy, address: undefined }],
    ['a list that is not a list', { ...policy, off: 'msg-a:r2' }],
    ['a list holding something else', { ...policy, on: [{ id: 'msg-a:r1' }] }],
    ['a list too long', { ...policy, off: Array.from({ length: 501 }, (_, i) => `msg-a:r${i}`) }],
    ['a missing list', { ...policy, neverLog: undefined }],
    ['a flag that is not one', { ...policy, others: 'yes' }],
    ['a mailbox that is not text', { ...policy, mailbox: 7 }],
    ['a policy that is not an object', 'bcc'],
  ])('takes a policy message with %s as no policy', (_, p) => {
    expect(bccPolicyOf(message(p), 'gmail')).toBeNull();
  });

  it.each([
    ['another provider', { ...message(policy), provider: 'outlook' }],
    ['another channel', { ...message(policy), channel: 'x' }],
    ['another kind', { ...envelope, kind: 'page-ready' }],
    ['null', null],
    ['a number', 7],
  ])('answers undefined for %s: not a policy message, so the policy in force stays', (_, data) => {
    expect(bccPolicyOf(data, 'gmail')).toBeUndefined();
  });
});
