// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BRIDGE_CHANNEL } from '@/lib/mail/bridge';
import { gmailSendDetector } from '@/lib/mail/gmail/send-detector';
import { readGmailSyncRequest } from '@/lib/mail/gmail/sync-request';
import { startPageWorld } from '@/lib/mail/page-world';
import { bccPolicy, compactMailFixture } from '../support/mail';

const BCC = 'emailtosalesforce@abc.le.salesforce.com';
const SEND_ID = 'msg-a:r8190137112111191537';
const sendBody = compactMailFixture('gmail/2022-09-09-cvOnSend_request.json');
const policy = bccPolicy(BCC, { mailbox: 'test@gmail.com' });

/** The page's XMLHttpRequest: keeps what each request really sent. */
class Xhr {
  static sent: unknown[] = [];
  readyState = 0;
  open() {}
  send(body: unknown) {
    Xhr.sent.push(body);
  }
  addEventListener() {}
}

const post = (data: Record<string, unknown>) =>
  window.dispatchEvent(new MessageEvent('message', { data: { channel: BRIDGE_CHANNEL, provider: 'gmail', ...data }, source: window }));

function sendRequest(body = sendBody) {
  const xhr = new window.XMLHttpRequest();
  xhr.open('POST', '/sync/u/0/i/s?hl=en&c=1');
  xhr.send(body);
  return Xhr.sent.at(-1) as string;
}

describe('the page world in BCC mode', () => {
  const reports: Array<Record<string, unknown>> = [];
  beforeEach(() => {
    Xhr.sent = [];
    reports.length = 0;
    vi.spyOn(window, 'postMessage').mockImplementation((data: unknown) => void reports.push(data as Record<string, unknown>));
  });
  afterEach(() => vi.restoreAllMocks());

  it('sends requests as the page made them until the isolated script posts a policy, then adds the address and says so', () => {
    (window as unknown as { XMLHttpRequest: unknown }).XMLHttpRequest = Xhr;
    startPageWorld('gmail', gmailSendDetector);
    expect(sendRequest()).toBe(sendBody);

    post({ kind: 'bcc-policy', policy });
    const sent = sendRequest();
    expect(readGmailSyncRequest(sent).sends[0]?.bcc).toEqual([{ email: BCC }]);
    const detected = reports.filter((r) => r.kind === 'sends-detected').at(-1);
    expect(detected?.sends).toMatchObject([{ messageId: SEND_ID, bcc: [{ email: BCC }], bccAdded: true }]);
  });

  it('leaves a switched-off message alone, and takes a malformed or forged policy as none', () => {
    post({ kind: 'bcc-policy', policy: { ...policy, off: [SEND_ID] } });
    expect(sendRequest()).toBe(sendBody);
    post({ kind: 'bcc-policy', policy });
    expect(sendRequest()).not.toBe(sendBody);
    post({ kind: 'bcc-policy', policy: { ...policy, address: 'attacker' } });
    expect(sendRequest()).toBe(sendBody);
    post({ kind: 'bcc-policy', policy });
    // Messages of other kinds, or for another provider, leave the policy as it is.
    post({ kind: 'page-ready' });
    window.dispatchEvent(
      new MessageEvent('message', {
        data: { channel: BRIDGE_CHANNEL, provider: 'outlook', kind: 'bcc-policy', policy: null },
        source: window,
      }),
    );
    expect(sendRequest()).not.toBe(sendBody);
    // Outside BCC mode the isolated script posts none.
    post({ kind: 'bcc-policy', policy: null });
    expect(sendRequest()).toBe(sendBody);
    const detected = reports.filter((r) => r.kind === 'sends-detected').at(-1);
    expect(detected?.sends).toEqual([expect.not.objectContaining({ bccAdded: true })]);
  });
});
