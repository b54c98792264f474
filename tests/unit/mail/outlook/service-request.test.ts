import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDetectedSend } from '@/lib/mail/detected-send';
import { OUTLOOK_HOSTS } from '@/lib/mail/hosts';
import { outlookSendDetector } from '@/lib/mail/outlook/send-detector';
import { type DraftMemory, owaSendOutcomes, parseOwaServiceRequest, readOwaServiceRequest } from '@/lib/mail/outlook/service-request';
import type { DetectedSend } from '@/lib/mail/types';

const DIR = join(process.cwd(), 'tests', 'fixtures', 'mail', 'outlook');
const fixture = (name: 'new' | 'reply') => readFileSync(join(DIR, `owa-createitem-${name}.json`), 'utf8');
const CREATE_URL = 'https://outlook.live.com/owa/0/service.svc?action=CreateItem&app=Mail&n=54';
const UPDATE_URL = 'https://outlook.office.com/owa/service.svc?action=UpdateItem&app=Mail&n=12';
const REPLY_DRAFT_ID = 'AAkALgAAAAAAHYQDEapmEc2byACqAC/EWg0AyOco4zGtXUGu/0lpY6y76gAIw57HxwAA';
const DRAFT_ID = 'AAMkAGI2TG93AAA=';

/** The one send a request carries (fails the test when there is not exactly one). */
function only(sends: DetectedSend[]): DetectedSend {
  expect(sends).toHaveLength(1);
  return sends[0] as DetectedSend;
}

// biome-ignore lint/suspicious/noExplicitAny: tests edit captured JSON freely
type Request = any;

/** A fixture's request with an edit, the way a test builds a variant of captured traffic. */
function edited(name: 'new' | 'reply', edit: (request: Request) => void): string {
  const request = JSON.parse(fixture(name));
  edit(request);
  return JSON.stringify(request);
}

/** The send of a saved draft, shaped like OWA's `UpdateItem` with one `SetItemField` per field. */
function updateItemRequest(disposition: string, item: Record<string, unknown>, id = DRAFT_ID): string {
  return JSON.stringify({
    __type: 'UpdateItemJsonRequest:#Exchange',
    Header: { __type: 'JsonRequestHeaders:#Exchange', RequestServerVersion: 'V2018_01_08' },
    Body: {
      __type: 'UpdateItemRequest:#Exchange',
      ConflictResolution: 'AlwaysOverwrite',
      MessageDisposition: disposition,
      ComposeOperation: 'newMail',
      ItemChanges: [
        {
          __type: 'ItemChange:#Exchange',
          ItemId: { __type: 'ItemId:#Exchange', Id: id, ChangeKey: 'CQAAABYAAAA' },
          Updates: Object.entries(item).map(([field, value]) => ({
            __type: 'SetItemField:#Exchange',
            Path: { __type: 'PropertyUri:#Exchange', FieldURI: field },
            Item: { __type: 'Message:#Exchange', [field]: value },
          })),
        },
      ],
    },
  });
}

const SAVED_DRAFT = {
  From: { Mailbox: { EmailAddress: 'rep@example.com', Name: 'Sample Rep', RoutingType: 'SMTP' } },
  ToRecipients: [{ EmailAddress: 'buyer@customer.example', Name: 'Pat Buyer', RoutingType: 'SMTP', MailboxType: 'OneOff' }],
  CcRecipients: [],
  BccRecipients: [{ EmailAddress: 'emailtosalesforce@abc123.le.salesforce.com', RoutingType: 'SMTP' }],
  Subject: 'Pricing for next year',
  Body: { BodyType: 'HTML', Value: '<div>Here is the quote.</div>' },
};

describe('reading sends out of OWA service requests (captured traffic)', () => {
  it('reads a new message', () => {
    const send = only(parseOwaServiceRequest(CREATE_URL, fixture('new')));
    expect(send).toEqual({
      messageId: expect.stringMatching(/^owa-[0-9a-z]+$/),
      scheduled: false,
      from: { email: 'rep@example.com', name: 'Sample Rep' },
      to: [{ email: 'customer@example.com' }],
      cc: [],
      bcc: [],
      subject: 'TESTING',
      bodyHtml: expect.stringContaining('>Hello!!!!!</div>'),
    });
    expect(send.bodyHtml.startsWith('<html>')).toBe(true);
  });

  it('reads a reply: its body from NewBodyContent, its id from the draft it updates', () => {
    expect(parseOwaServiceRequest(CREATE_URL, fixture('reply'))).toEqual([
      {
        messageId: REPLY_DRAFT_ID,
        scheduled: false,
        from: { email: 'rep@example.com', name: 'Sample Rep' },
        to: [{ email: 'rep@example.com', name: 'Sample Rep' }],
        cc: [],
        bcc: [],
        subject: 'RE: Extensions testing',
        bodyHtml: expect.stringContaining('>Nice, thank you!!!!</div>'),
      },
    ]);
  });

  it('reads a forward and a reply-all like a reply', () => {
    for (const type of ['ForwardItem:#Exchange', 'ReplyAllToItem:#Exchange']) {
      const body = edited('reply', (r) => {
        r.Body.Items[0].__type = type;
        r.Body.Items[0].ToRecipients = [{ EmailAddress: 'next@partner.example', Name: 'Next Person' }];
        r.Body.Items[0].CcRecipients = [{ EmailAddress: 'boss@partner.example' }];
      });
      expect(parseOwaServiceRequest(CREATE_URL, body)).toEqual([
        expect.objectContaining({
          messageId: REPLY_DRAFT_ID,
          to: [{ email: 'next@partner.example', name: 'Next Person' }],
          cc: [{ email: 'boss@partner.example' }],
        }),
      ]);
    }
  });

  it('gives the same new message the same id every time, and another request another id', () => {
    const first = only(parseOwaServiceRequest(CREATE_URL, fixture('new')));
    const again = only(parseOwaServiceRequest(CREATE_URL, fixture('new')));
    const next = only(parseOwaServiceRequest(CREATE_URL.replace('n=54', 'n=55'), fixture('new')));
    const other = only(
      parseOwaServiceRequest(
        CREATE_URL,
        edited('new', (r) => (r.Body.Items[0].Subject = 'Another')),
      ),
    );
    expect(again.messageId).toBe(first.messageId);
    expect(next.messageId).not.toBe(first.messageId);
    expect(other.messageId).not.toBe(first.messageId);
  });

  it('reads the BCC recipients, where the Email to Salesforce address goes', () => {
    const body = edited('new', (r) => {
      r.Body.Items[0].BccRecipients = [
        { EmailAddress: 'emailtosalesforce@abc123.le.salesforce.com', RoutingType: 'SMTP', MailboxType: 'OneOff' },
      ];
    });
    expect(only(parseOwaServiceRequest(CREATE_URL, body)).bcc).toEqual([{ email: 'emailtosalesforce@abc123.le.salesforce.com' }]);
  });

  it('reads the send of an already-saved draft (UpdateItem with SendAndSaveCopy)', () => {
    expect(parseOwaServiceRequest(UPDATE_URL, updateItemRequest('SendAndSaveCopy', SAVED_DRAFT))).toEqual([
      {
        messageId: DRAFT_ID,
        scheduled: false,
        from: { email: 'rep@example.com', name: 'Sample Rep' },
        to: [{ email: 'buyer@customer.example', name: 'Pat Buyer' }],
        cc: [],
        bcc: [{ email: 'emailtosalesforce@abc123.le.salesforce.com' }],
        subject: 'Pricing for next year',
        bodyHtml: '<div>Here is the quote.</div>',
      },
    ]);
  });

  it('counts SendOnly as a send too (it sends without keeping a copy)', () => {
    expect(
      parseOwaServiceRequest(
        CREATE_URL,
        edited('new', (r) => (r.Body.MessageDisposition = 'SendOnly')),
      ),
    ).toHaveLength(1);
  });

  it('marks a send with a deferred delivery time as scheduled', () => {
    const body = edited('new', (r) => {
      r.Body.Items[0].ExtendedProperty.push({
        __type: 'ExtendedPropertyType:#Exchange',
        ExtendedFieldURI: { __type: 'ExtendedPropertyUri:#Exchange', PropertyTag: '0x3FEF', PropertyType: 'SystemTime' },
        Value: '2027-01-04T08:00:00.000Z',
      });
    });
    expect(only(parseOwaServiceRequest(CREATE_URL, body)).scheduled).toBe(true);
  });

  it('turns a plain-text body into HTML without letting it become markup', () => {
    const body = edited('new', (r) => (r.Body.Items[0].Body = { BodyType: 'Text', Value: 'a < b & "c"\nline 2' }));
    expect(only(parseOwaServiceRequest(CREATE_URL, body)).bodyHtml).toBe('a &lt; b &amp; &quot;c&quot;<br>line 2');
  });

  it('takes the sender from sendAs when From is missing', () => {
    const body = edited('new', (r) => delete r.Body.Items[0].From);
    expect(only(parseOwaServiceRequest(CREATE_URL, body)).from).toEqual({ email: 'rep@example.com', name: 'Sample Rep' });
  });
});

describe('a saved draft sent with UpdateItem that carries only what changed', () => {
  const body = { Body: { BodyType: 'HTML', Value: '<div>Final words.</div>' } };

  it("takes the recipients and subject from the draft's earlier UpdateItem save, by its ItemId", () => {
    const memory: DraftMemory = new Map();
    expect(readOwaServiceRequest(UPDATE_URL, updateItemRequest('SaveOnly', SAVED_DRAFT), memory).sends).toEqual([]);
    const send = only(readOwaServiceRequest(UPDATE_URL, updateItemRequest('SendAndSaveCopy', body), memory).sends);
    expect(send).toMatchObject({
      messageId: DRAFT_ID,
      subject: 'Pricing for next year',
      to: [{ email: 'buyer@customer.example' }],
      bodyHtml: '<div>Final words.</div>',
    });
    // Without that memory the send gives nothing to log (no recipient is known).
    expect(readOwaServiceRequest(UPDATE_URL, updateItemRequest('SendAndSaveCopy', body)).sends).toEqual([]);
    // Another draft's save does not lend its recipients.
    expect(readOwaServiceRequest(UPDATE_URL, updateItemRequest('SendAndSaveCopy', body, 'AAMkOther='), memory).sends).toEqual([]);
  });

  it("takes them from the first save (CreateItem), named by the ItemId in Exchange's answer", () => {
    const memory: DraftMemory = new Map();
    const save = edited('new', (request) => {
      request.Body.MessageDisposition = 'SaveOnly';
      request.Body.Items[0].MessageDisposition = 'SaveOnly';
    });
    const reading = readOwaServiceRequest(CREATE_URL, save, memory);
    expect(reading.sends).toEqual([]);
    const answer = { Body: { ResponseMessages: { Items: [{ ResponseClass: 'Success', Items: [{ ItemId: { Id: 'AAMkFirstSave=' } }] }] } } };
    reading.answered?.(200, JSON.stringify(answer));
    const created = JSON.parse(save).Body.Items[0];
    const send = only(readOwaServiceRequest(UPDATE_URL, updateItemRequest('SendAndSaveCopy', body, 'AAMkFirstSave='), memory).sends);
    expect(send.subject).toBe(created.Subject);
    expect(send.to.map((r) => r.email)).toEqual(created.ToRecipients.map((r: { EmailAddress: string }) => r.EmailAddress));
  });

  it('keeps the recipients the send itself changes', () => {
    const memory: DraftMemory = new Map();
    readOwaServiceRequest(UPDATE_URL, updateItemRequest('SaveOnly', SAVED_DRAFT), memory);
    const changed = { ToRecipients: [{ EmailAddress: 'new@customer.example', RoutingType: 'SMTP' }] };
    expect(only(readOwaServiceRequest(UPDATE_URL, updateItemRequest('SendAndSaveCopy', changed), memory).sends).to).toEqual([
      { email: 'new@customer.example' },
    ]);
  });
});

describe('what is not a send', () => {
  it('finds nothing in draft saves', () => {
    for (const disposition of ['SaveOnly', undefined, '', 'sendandsavecopy']) {
      const body = edited('new', (r) => {
        r.Body.MessageDisposition = disposition;
        r.Body.Items[0].MessageDisposition = 'SendAndSaveCopy';
      });
      expect(readOwaServiceRequest(CREATE_URL, body)).toEqual({ sends: [], draftIds: [] });
    }
    expect(
      parseOwaServiceRequest(
        CREATE_URL,
        edited('reply', (r) => (r.Body.MessageDisposition = 'SaveOnly')),
      ),
    ).toEqual([]);
  });

  it('reports an UpdateItem draft save by id (a save of a pending send means it was undone)', () => {
    expect(readOwaServiceRequest(UPDATE_URL, updateItemRequest('SaveOnly', SAVED_DRAFT))).toEqual({ sends: [], draftIds: [DRAFT_ID] });
  });

  it('does not take an UpdateItem that only marks mail read for a draft save', () => {
    expect(readOwaServiceRequest(UPDATE_URL, updateItemRequest('SaveOnly', { IsRead: true }))).toEqual({ sends: [], draftIds: [] });
  });

  it('finds nothing in other actions, even with a send body', () => {
    for (const action of ['GetItem', 'SendItem', 'DeleteItem', 'CreateItemX', 'MoveItem']) {
      expect(parseOwaServiceRequest(CREATE_URL.replace('CreateItem', action), fixture('new'))).toEqual([]);
    }
    const sendItem = JSON.stringify({
      __type: 'SendItemJsonRequest:#Exchange',
      Body: { __type: 'SendItemRequest:#Exchange', ItemIds: [{ __type: 'ItemId:#Exchange', Id: DRAFT_ID }], SaveItemToFolder: true },
    });
    expect(readOwaServiceRequest(CREATE_URL.replace('CreateItem', 'SendItem'), sendItem)).toEqual({ sends: [], draftIds: [] });
  });

  it('finds nothing when the body says another action than the URL', () => {
    const body = edited('new', (r) => (r.Body.__type = 'UpdateItemRequest:#Exchange'));
    expect(parseOwaServiceRequest(CREATE_URL, body)).toEqual([]);
  });

  it('uses the body type when the URL names no action', () => {
    expect(parseOwaServiceRequest('https://outlook.office365.com/owa/service.svc?app=Mail', fixture('new'))).toHaveLength(1);
  });

  it('finds nothing in meeting responses and calendar items sent with SendAndSaveCopy', () => {
    for (const type of ['AcceptItem:#Exchange', 'DeclineItem:#Exchange', 'CalendarItem:#Exchange', 'Contact:#Exchange', '']) {
      expect(
        parseOwaServiceRequest(
          CREATE_URL,
          edited('new', (r) => (r.Body.Items[0].__type = type)),
        ),
      ).toEqual([]);
    }
  });

  it('ignores recipients without a usable address, and a message with none at all', () => {
    const body = edited('new', (r) => {
      r.Body.Items[0].ToRecipients = [
        { EmailAddress: '/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=ABC', RoutingType: 'EX', Name: 'Someone' },
        { Name: 'No address' },
        { EmailAddress: 42 },
        null,
        'customer@example.com',
        { EmailAddress: ' real@customer.example ', Name: 'Real' },
      ];
    });
    expect(only(parseOwaServiceRequest(CREATE_URL, body)).to).toEqual([{ email: 'real@customer.example', name: 'Real' }]);
    const none = edited('new', (r) => (r.Body.Items[0].ToRecipients = [{ EmailAddress: 'not an address' }]));
    expect(parseOwaServiceRequest(CREATE_URL, none)).toEqual([]);
  });
});

describe('hostile and broken input', () => {
  const hostile: Array<[string, string]> = [
    ['', ''],
    [CREATE_URL, ''],
    [CREATE_URL, 'not json'],
    [CREATE_URL, 'null'],
    [CREATE_URL, '[]'],
    [CREATE_URL, '{"Body":null}'],
    [CREATE_URL, '{"Body":{"MessageDisposition":"SendAndSaveCopy","Items":{"length":5}}}'],
    [
      CREATE_URL,
      '{"Body":{"MessageDisposition":"SendAndSaveCopy","Items":[{"__type":"Message:#Exchange","ToRecipients":{"0":{"EmailAddress":"a@b.co"}}}]}}',
    ],
    [CREATE_URL, `{"Body":{"MessageDisposition":"SendAndSaveCopy","Items":${'['.repeat(5000)}${']'.repeat(5000)}}}`],
    [UPDATE_URL, '{"Body":{"MessageDisposition":"SendAndSaveCopy","ItemChanges":[{"ItemId":{"Id":"x y"},"Updates":[]}]}}'],
    [
      UPDATE_URL,
      '{"Body":{"MessageDisposition":"SendAndSaveCopy","ItemChanges":[{"ItemId":{"Id":"ok"},"Updates":[{"Item":null},{"Item":[]}]}]}}',
    ],
  ];

  it.each(hostile)('returns nothing for %s / %s', (url, body) => {
    expect(readOwaServiceRequest(url, body)).toEqual({ sends: [], draftIds: [] });
  });

  it('survives values that are not strings', () => {
    expect(parseOwaServiceRequest(undefined as unknown as string, null as unknown as string)).toEqual([]);
    expect(parseOwaServiceRequest(CREATE_URL, { toString: () => fixture('new') } as unknown as string)).toEqual([]);
  });

  it('reads own fields only, and never pollutes prototypes', () => {
    const body = `{"__proto__":{"Body":1},"Body":{"__proto__":{"MessageDisposition":"SendAndSaveCopy"},"Items":[{"__type":"Message:#Exchange","ToRecipients":[{"EmailAddress":"a@b.co"}]}]}}`;
    expect(parseOwaServiceRequest(CREATE_URL, body)).toEqual([]);
    const update = `{"Body":{"MessageDisposition":"SendAndSaveCopy","ItemChanges":[{"ItemId":{"Id":"d1"},"Updates":[
      {"Item":{"__type":"Message:#Exchange","__proto__":{"polluted":true},"ToRecipients":[{"EmailAddress":"a@b.co"}]}},
      {"Item":{"__type":"Message:#Exchange","ToRecipients":[{"EmailAddress":"c@d.co"}],"constructor":{"prototype":{"polluted":true}}}}]}]}}`;
    const send = only(parseOwaServiceRequest(UPDATE_URL, update));
    expect(send.to).toEqual([{ email: 'c@d.co' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps every field within the bounds the extension accepts', () => {
    const body = edited('new', (r) => {
      const item = r.Body.Items[0];
      item.Subject = 's'.repeat(50_000);
      item.Body.Value = 'b'.repeat(2_100_000);
      item.ToRecipients = Array.from({ length: 600 }, (_, i) => ({ EmailAddress: `p${i}@customer.example`, Name: 'n'.repeat(400) }));
      item.CcRecipients = [{ EmailAddress: 'cc@customer.example' }];
    });
    const send = only(parseOwaServiceRequest(CREATE_URL, body));
    expect(send.subject).toHaveLength(10_000);
    expect(send.bodyHtml).toHaveLength(2_000_000);
    expect(send.to).toHaveLength(500);
    expect(send.cc).toEqual([]);
    expect(readDetectedSend(send)).toEqual(send);
  });
});

describe('fuzzing', () => {
  const paths = (value: unknown, prefix: string[] = []): string[][] =>
    value !== null && typeof value === 'object'
      ? [prefix, ...Object.entries(value).flatMap(([key, child]) => paths(child, [...prefix, key]))]
      : [prefix];
  const newPaths = paths(JSON.parse(fixture('new'))).filter((p) => p.length > 0);

  /** The fixture with the value at one path replaced by arbitrary JSON. */
  const mutated = fc.tuple(fc.constantFrom(...newPaths), fc.jsonValue()).map(([path, value]) => {
    const request = JSON.parse(fixture('new'));
    let node = request;
    for (const key of path.slice(0, -1)) node = node[key];
    node[path.at(-1) as string] = value;
    return JSON.stringify(request);
  });

  it('never throws, and everything it returns passes the bridge checks', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), mutated), fc.constantFrom(CREATE_URL, UPDATE_URL, 'x', ''), (body, url) => {
        const reading = readOwaServiceRequest(url, body);
        for (const send of reading.sends) expect(readDetectedSend(send)).toEqual(send);
        return true;
      }),
      { numRuns: 400 },
    );
  });

  it('finds no send in a request that does not send, whatever else it holds', () => {
    const notSending = fc.oneof(
      fc.constant('SaveOnly'),
      fc.constant(undefined),
      fc.string().filter((s) => s !== 'SendAndSaveCopy' && s !== 'SendOnly'),
    );
    fc.assert(
      fc.property(mutated, notSending, (body, disposition) => {
        const request = JSON.parse(body);
        if (request === null || typeof request !== 'object' || request.Body === null || typeof request.Body !== 'object') return true;
        request.Body.MessageDisposition = disposition;
        expect(parseOwaServiceRequest(CREATE_URL, JSON.stringify(request))).toEqual([]);
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('finds no send for any action other than CreateItem and UpdateItem', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z]{1,20}$/), (action) => {
        fc.pre(action !== 'CreateItem' && action !== 'UpdateItem');
        expect(parseOwaServiceRequest(CREATE_URL.replace('CreateItem', action), fixture('new'))).toEqual([]);
        return true;
      }),
      { numRuns: 200 },
    );
  });
});

describe("reading the server's answer", () => {
  const sends = parseOwaServiceRequest(CREATE_URL, fixture('reply'));
  const answer = (items: unknown[]) => JSON.stringify({ Header: {}, Body: { ResponseMessages: { Items: items } } });
  const success = { __type: 'ItemInfoResponseMessage:#Exchange', ResponseClass: 'Success', ResponseCode: 'NoError', Items: [] };
  const failure = { ResponseClass: 'Error', ResponseCode: 'ErrorQuotaExceeded', MessageText: 'The mailbox is full.' };

  it('accepts a send Exchange answered with Success', () => {
    expect(owaSendOutcomes(sends, 200, answer([success]))).toEqual([{ messageId: REPLY_DRAFT_ID, ok: true }]);
  });

  it('refuses a send Exchange answered with an error, even over HTTP 200', () => {
    expect(owaSendOutcomes(sends, 200, answer([failure]))).toEqual([{ messageId: REPLY_DRAFT_ID, ok: false }]);
    expect(owaSendOutcomes(sends, 200, answer([success, failure])).at(0)?.ok).toBe(false);
    expect(owaSendOutcomes(sends, 200, answer([{ ResponseClass: 'Warning', ResponseCode: 'ErrorBatchProcessingStopped' }])).at(0)?.ok).toBe(
      false,
    );
    expect(owaSendOutcomes(sends, 200, answer([])).at(0)?.ok).toBe(false);
    expect(owaSendOutcomes(sends, 200, '<html>Sign in</html>').at(0)?.ok).toBe(false);
  });

  it('refuses a send whose request failed', () => {
    for (const status of [0, 440, 449, 500, 503]) expect(owaSendOutcomes(sends, status, answer([success])).at(0)?.ok).toBe(false);
  });

  it('accepts a 2xx answer it could not read', () => {
    expect(owaSendOutcomes(sends, 200, null).at(0)?.ok).toBe(true);
  });
});

describe('which requests the network hook reads', () => {
  it('reads item actions posted to the service endpoint on every Outlook host and mailbox path', () => {
    for (const host of OUTLOOK_HOSTS) {
      for (const path of ['/owa/service.svc', '/owa/0/service.svc', '/owa/3/service.svc']) {
        for (const action of ['CreateItem', 'UpdateItem', 'SendItem']) {
          expect(outlookSendDetector.wants(`https://${host}${path}?action=${action}&app=Mail&n=7`, 'POST')).toBe(true);
        }
      }
    }
    expect(outlookSendDetector.wants('/owa/0/service.svc?app=Mail&action=CreateItem', 'POST')).toBe(true);
    expect(outlookSendDetector.wants('service.svc?action=UpdateItem', 'POST')).toBe(true);
  });

  it('skips everything else cheaply', () => {
    expect(outlookSendDetector.wants(CREATE_URL, 'GET')).toBe(false);
    expect(outlookSendDetector.wants(CREATE_URL.replace('CreateItem', 'GetItem'), 'POST')).toBe(false);
    expect(outlookSendDetector.wants(CREATE_URL.replace('CreateItem', 'CreateItemAttachment'), 'POST')).toBe(false);
    expect(outlookSendDetector.wants('https://outlook.live.com/owa/0/startupdata.ashx?app=Mail', 'POST')).toBe(false);
    expect(outlookSendDetector.wants('https://outlook.live.com/search/api/v2/query?action=CreateItem', 'POST')).toBe(false);
  });
});
