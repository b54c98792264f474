import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gmailBccWriter } from '@/lib/mail/gmail/bcc-request';
import { readGmailSyncRequest } from '@/lib/mail/gmail/sync-request';
import { type BccPolicy, type BccWriter, MAX_CHANGED_BODY, wantsNetworkBcc, withNetworkBcc } from '@/lib/mail/network-bcc';
import { outlookBccWriter } from '@/lib/mail/outlook/bcc-request';
import { readOwaServiceRequest } from '@/lib/mail/outlook/service-request';
import type { DetectedSend } from '@/lib/mail/types';
import { bccPolicy, compactMailFixture as compact, mailFixture as fixture } from '../support/mail';

const BCC = 'emailtosalesforce@k-1a2b3c.r-9z8y7x.na123.le.salesforce.com';
const policy = (changes: Partial<BccPolicy> = {}) => bccPolicy(BCC, changes);

const GMAIL_URL = 'https://mail.google.com/sync/u/0/i/s?hl=en&c=12';
const GMAIL_SEND = 'gmail/2022-09-09-cvOnSend_request.json';
const GMAIL_SEND_ID = 'msg-a:r8190137112111191537';
const OWA_NEW_URL = 'https://outlook.live.com/owa/0/service.svc?action=CreateItem&app=Mail&n=54';
const OWA_REPLY_URL = 'https://outlook.live.com/owa/0/service.svc?action=CreateItem&app=Mail&n=51';

const change = (writer: BccWriter, url: string, body: string, rules = policy()) =>
  withNetworkBcc(url, body, writer, rules.address, (send) => wantsNetworkBcc(rules, send));
const gmail = (body: string, rules?: BccPolicy) => change(gmailBccWriter, GMAIL_URL, body, rules);
const outlook = (body: string, rules?: BccPolicy, url = OWA_NEW_URL) => change(outlookBccWriter, url, body, rules);

/** The Gmail send fixture with its message changed. */
function gmailSend(edit: (message: unknown[], request: unknown[]) => void, path = GMAIL_SEND): string {
  const request = JSON.parse(fixture(path));
  edit(request[1][0][0][1][1][13][0], request);
  return JSON.stringify(request);
}

/** The Outlook new-message fixture with its item changed. */
function owaNew(edit: (item: Record<string, unknown>, request: Record<string, unknown>) => void): string {
  const request = JSON.parse(fixture('outlook/owa-createitem-new.json'));
  edit(request.Body.Items[0], request);
  return JSON.stringify(request);
}

const withoutId = (send: DetectedSend | undefined) => send && { ...send, messageId: '' };

describe('adding the BCC address to a Gmail send request (captured traffic)', () => {
  it('puts [1, address] in the empty Bcc of a new message send: the only change, and it reads back as that', () => {
    const body = compact(GMAIL_SEND);
    const changed = gmail(body);
    expect(changed?.added).toEqual([GMAIL_SEND_ID]);
    // Gmail writes an empty Bcc as null; the only difference in the body is that slot.
    const expected = gmailSend((message) => {
      message[4] = [[1, BCC]];
    });
    expect(changed?.body).toBe(expected);
    const [before] = readGmailSyncRequest(body).sends;
    expect(readGmailSyncRequest(changed?.body ?? '').sends).toEqual([{ ...before, bcc: [{ email: BCC }] }]);
  });

  it('adds to a reply send in slot [1] and in a thread-f thread', () => {
    for (const path of ['gmail/2022-09-09-cvOnReplySend_request.json', 'gmail/2022-09-09-cvOnReplySend_2_request.json']) {
      const body = compact(path);
      const changed = gmail(body);
      const before = readGmailSyncRequest(body).sends;
      expect(changed?.added).toEqual([before[0]?.messageId]);
      expect(readGmailSyncRequest(changed?.body ?? '').sends).toEqual([{ ...before[0], bcc: [{ email: BCC }] }]);
      expect((changed?.body.length ?? 0) - body.length).toBe(JSON.stringify([[1, BCC]]).length - 'null'.length);
    }
  });

  it('appends to a Bcc list the rep filled', () => {
    const body = gmailSend((message) => {
      message[4] = [[1, 'boss@acme.com', 'The Boss']];
    });
    const changed = gmail(body);
    expect(readGmailSyncRequest(changed?.body ?? '').sends[0]?.bcc).toEqual([{ email: 'boss@acme.com', name: 'The Boss' }, { email: BCC }]);
  });

  it('changes nothing in draft saves', () => {
    for (const path of [
      'gmail/2022-09-09-cvOnDraftSave_request.json',
      'gmail/2022-09-09-cvOnDraftSaveBatched_request.json',
      'gmail/2022-09-09-cvOnReplyDraftSave_request.json',
    ]) {
      expect(gmail(compact(path))).toBeNull();
    }
  });

  it.each([
    ['the address is in To already', (m: unknown[]) => (m[2] = [[1, BCC.toUpperCase()]])],
    ['the address is in Cc already', (m: unknown[]) => (m[3] = [[1, BCC, 'Salesforce']])],
    ['the address is in Bcc already', (m: unknown[]) => (m[4] = [[1, BCC]])],
    ['the message ends before its Bcc slot', (m: unknown[]) => (m.length = 4)],
    ['the Bcc slot is not a list', (m: unknown[]) => (m[4] = { 1: BCC })],
    ['the Bcc slot is a string', (m: unknown[]) => (m[4] = '')],
    [
      'the recipients are at the limit the reader takes',
      (m: unknown[]) => (m[2] = Array.from({ length: 500 }, (_, i) => [1, `p${i}@customer.com`])),
    ],
  ])('leaves the request byte-identical when %s', (_name, edit) => {
    expect(gmail(gmailSend(edit))).toBeNull();
  });

  it.each([
    ['pretty-printed, as the captured file is', fixture(GMAIL_SEND)],
    ['with a number JSON cannot write back (a big integer)', compact(GMAIL_SEND).replace('1662744701149', '12345678901234567890123')],
    ['with an escape JSON writes differently', compact(GMAIL_SEND).replace('subject_111', 'subject\\u005f111')],
    ['with a trailing newline', `${compact(GMAIL_SEND)}\n`],
    ["with Google's )]}' prefix", `)]}'\n${compact(GMAIL_SEND)}`],
    ['cut short', compact(GMAIL_SEND).slice(0, -3)],
    ['with no update list', JSON.stringify([[null, null, 2], null])],
    ['empty', ''],
  ])('leaves a body %s untouched', (_name, body) => {
    expect(gmail(body)).toBeNull();
  });

  it('leaves a body longer than it reads untouched', () => {
    const body = gmailSend((message) => {
      (message[8] as unknown[])[1] = [[0, `<div>${'x'.repeat(MAX_CHANGED_BODY)}</div>`]];
    });
    expect(body.length).toBeGreaterThan(MAX_CHANGED_BODY);
    expect(gmail(body)).toBeNull();
  });

  it('never touches a message the rep switched off, nor one it cannot tell is on', () => {
    const body = compact(GMAIL_SEND);
    expect(gmail(body, policy({ off: [GMAIL_SEND_ID] }))).toBeNull();
    expect(gmail(body, policy({ others: false }))).toBeNull();
    expect(gmail(body, policy({ others: false, on: [GMAIL_SEND_ID] }))?.added).toEqual([GMAIL_SEND_ID]);
    // A message listed on and off (the rep switched it back on) is on.
    expect(gmail(body, policy({ on: [GMAIL_SEND_ID], off: [GMAIL_SEND_ID] }))?.added).toEqual([GMAIL_SEND_ID]);
  });

  it('leaves what the worker would not log by BCC: excluded, scheduled when those are skipped, from another mailbox', () => {
    const body = compact(GMAIL_SEND);
    expect(gmail(body, policy({ internalDomains: ['gmail.com'] }))).toBeNull();
    expect(gmail(body, policy({ neverLog: ['test+1@gmail.com'] }))).toBeNull();
    expect(gmail(body, policy({ loggedMailboxes: ['other@acme.com'] }))).toBeNull();
    expect(gmail(body, policy({ mailbox: 'rep@acme.com' }))).toBeNull();
    expect(gmail(body, policy({ mailbox: 'TEST@gmail.com' }))?.added).toEqual([GMAIL_SEND_ID]);
    const scheduled = gmailSend((message) => {
      message[10] = (message[10] as string[]).map((l) => (l === '^pfg' ? '^scheduled' : l));
    });
    expect(gmail(scheduled, policy({ skipScheduled: true }))).toBeNull();
    expect(gmail(scheduled)?.added).toEqual([GMAIL_SEND_ID]);
  });

  it('never changes a body it does not return, and returns only bodies that read back as the same sends plus the address', () => {
    const base = JSON.parse(compact(GMAIL_SEND));
    const anything = fc.oneof(
      fc.constant(null),
      fc.string(),
      fc.integer(),
      fc.array(fc.oneof(fc.constant(null), fc.string(), fc.constant([1, BCC]))),
    );
    fc.assert(
      fc.property(fc.nat(40), anything, (slot, value) => {
        const request = structuredClone(base);
        request[1][0][0][1][1][13][0][slot] = value;
        const body = JSON.stringify(request);
        const changed = gmail(body);
        if (!changed) return;
        const before = readGmailSyncRequest(body).sends;
        const after = readGmailSyncRequest(changed.body).sends;
        expect(after).toEqual(before.map((s) => ({ ...s, bcc: [...s.bcc, { email: BCC }] })));
      }),
    );
  });
});

describe('adding the BCC address to an Outlook send request (captured traffic)', () => {
  it('puts a Mailbox in the BccRecipients of a new message, and the send reads back as that', () => {
    const body = compact('outlook/owa-createitem-new.json');
    const changed = outlook(body);
    expect(changed?.body).toBe(
      owaNew((item) => {
        item.BccRecipients = [{ Name: BCC, EmailAddress: BCC, RoutingType: 'SMTP', MailboxType: 'OneOff' }];
      }),
    );
    const [before] = readOwaServiceRequest(OWA_NEW_URL, body).sends;
    const [after] = readOwaServiceRequest(OWA_NEW_URL, changed?.body ?? '').sends;
    expect(withoutId(after)).toEqual(withoutId({ ...(before as DetectedSend), bcc: [{ email: BCC }] }));
    // A new message is named by a hash of its request: the id reported is the changed request's.
    expect(changed?.added).toEqual([after?.messageId]);
  });

  it('adds to a reply, which keeps its draft id', () => {
    const body = compact('outlook/owa-createitem-reply.json');
    const changed = outlook(body, policy(), OWA_REPLY_URL);
    const [before] = readOwaServiceRequest(OWA_REPLY_URL, body).sends;
    expect(changed?.added).toEqual([before?.messageId]);
    expect(readOwaServiceRequest(OWA_REPLY_URL, changed?.body ?? '').sends).toEqual([{ ...before, bcc: [{ email: BCC }] }]);
  });

  it.each([
    ['the address is in To already', (item: Record<string, unknown>) => (item.ToRecipients = [{ EmailAddress: BCC, RoutingType: 'SMTP' }])],
    ['the address is in Cc already', (item: Record<string, unknown>) => (item.CcRecipients = [{ EmailAddress: BCC.toUpperCase() }])],
    ['the item has no BccRecipients', (item: Record<string, unknown>) => delete item.BccRecipients],
    ['BccRecipients is not a list', (item: Record<string, unknown>) => (item.BccRecipients = { EmailAddress: 'x@y.com' })],
    ['the item is a meeting response, not mail', (item: Record<string, unknown>) => (item.__type = 'AcceptItem:#Exchange')],
    [
      'the request saves a draft',
      (item: Record<string, unknown>, request: Record<string, unknown>) => {
        item.MessageDisposition = 'SaveOnly';
        (request.Body as Record<string, unknown>).MessageDisposition = 'SaveOnly';
      },
    ],
    [
      'the same item is in the request twice',
      (item: Record<string, unknown>, request: Record<string, unknown>) => {
        item.ItemId = { Id: 'AAMkSame' };
        ((request.Body as Record<string, unknown>).Items as unknown[]).push(structuredClone(item));
      },
    ],
  ])('leaves the request byte-identical when %s', (_name, edit) => {
    expect(outlook(owaNew(edit))).toBeNull();
  });

  it('leaves an UpdateItem send untouched, even one that carries its recipients', () => {
    const body = JSON.stringify({
      __type: 'UpdateItemJsonRequest:#Exchange',
      Body: {
        __type: 'UpdateItemRequest:#Exchange',
        MessageDisposition: 'SendAndSaveCopy',
        ItemChanges: [
          {
            ItemId: { Id: 'AAMkDraft1' },
            Updates: [
              {
                __type: 'SetItemField:#Exchange',
                Item: { __type: 'Message:#Exchange', ToRecipients: [{ EmailAddress: 'customer@example.com' }] },
              },
              { __type: 'SetItemField:#Exchange', Item: { __type: 'Message:#Exchange', BccRecipients: [] } },
            ],
          },
        ],
      },
    });
    const url = 'https://outlook.office.com/owa/service.svc?action=UpdateItem&n=9';
    expect(readOwaServiceRequest(url, body).sends).toHaveLength(1);
    expect(outlook(body, policy(), url)).toBeNull();
  });

  it.each([
    ['pretty-printed, as the captured file is', fixture('outlook/owa-createitem-new.json')],
    ['with a number JSON cannot write back', compact('outlook/owa-createitem-new.json').replace('"DataUriCount":0', '"DataUriCount":1.0')],
    ['with an escaped slash', compact('outlook/owa-createitem-new.json').replace('TESTING', 'TEST\\/ING')],
  ])('leaves a body %s untouched', (_name, body) => {
    expect(outlook(body)).toBeNull();
  });

  it('never touches a message the rep switched off, nor one it cannot tell is on', () => {
    const body = compact('outlook/owa-createitem-new.json');
    expect(outlook(body, policy({ others: false }))).toBeNull();
    const reply = compact('outlook/owa-createitem-reply.json');
    const [send] = readOwaServiceRequest(OWA_REPLY_URL, reply).sends;
    expect(outlook(reply, policy({ off: [send?.messageId as string] }), OWA_REPLY_URL)).toBeNull();
  });

  it('leaves a send from another mailbox than the tab shows, and one to a never-log address', () => {
    const body = compact('outlook/owa-createitem-new.json');
    expect(outlook(body, policy({ mailbox: 'shared@example.com' }))).toBeNull();
    expect(outlook(body, policy({ neverLog: ['example.com'] }))).toBeNull();
    expect(outlook(body, policy({ mailbox: 'rep@example.com' }))).not.toBeNull();
  });
});
