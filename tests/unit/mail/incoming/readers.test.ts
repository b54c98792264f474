import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGmailThreadUrl, readGmailThreadAnswer } from '@/lib/mail/incoming/gmail-thread';
import { MAX_MESSAGES_PER_REPORT, readIncomingMessage } from '@/lib/mail/incoming/message';
import { isOwaReadingUrl, readOwaReadingAnswer } from '@/lib/mail/incoming/outlook-conversation';

const DIR = join(process.cwd(), 'tests', 'fixtures', 'mail', 'incoming');
const fixture = (name: string) => readFileSync(join(DIR, name), 'utf8');
const FD_URL = 'https://mail.google.com/sync/u/0/i/fd?hl=en&c=12&rt=r&pt=ji';
const S_URL = '/sync/u/1/i/s?hl=en&c=3&rt=r&pt=ji';
const GCI_URL = 'https://outlook.office.com/owa/0/service.svc?action=GetConversationItems&app=Mail&n=88';
const GI_URL = '/owa/service.svc?action=GetItem&app=Mail&n=12';

/** Every reader's output must pass the check the bridge and the worker apply. */
const wellFormed = (messages: unknown[]) => messages.every((m) => readIncomingMessage(m) !== null);

describe('reading the threads Gmail loads', () => {
  it('reads the nine messages of a captured sync answer, with Message-ID and In-Reply-To', () => {
    const messages = readGmailThreadAnswer(S_URL, fixture('2022-09-09-cvOnReplySend_response.json'));
    expect(messages).toHaveLength(9);
    expect(wellFormed(messages)).toBe(true);
    expect(messages[1]).toMatchObject({
      messageId: 'msg-a:r-2712450803414803423',
      threadId: 'thread-a:r-474834441621213468',
      from: { email: 'test@streak.com', name: 'Test Test' },
      to: [{ email: 'test@streak.com', name: 'Test Test' }],
      subject: 'Re: tracking test',
      sentAt: 1663006188642,
      rfcMessageId: '<CAFxDt-MncGb1csKyjqidqaMWJT5Lr54S+WO4p-9SZeOD6Y14ug@mail.gmail.com>',
      inReplyTo: '<CAFxDt-NaXoz7wPpOLmwhe-x6kF-42eqYKfFt1xb3r8tZ4=Ty8w@mail.gmail.com>',
    });
  });

  it('reads a received reply in a sync answer, with its body, and leaves the draft out', () => {
    const messages = readGmailThreadAnswer(S_URL, fixture('gmail-sync-answer-reply.json'));
    expect(messages.map((m) => m.messageId)).toEqual(['msg-a:r5550000000000000001', 'msg-f:1850000000000000002']);
    expect(messages[1]).toEqual({
      messageId: 'msg-f:1850000000000000002',
      threadId: 'thread-a:r5550000000000000001',
      from: { email: 'buyer@customer.com', name: 'Pat Buyer' },
      to: [{ email: 'rep@acme.com', name: 'Rep Example' }],
      cc: [],
      subject: 'Re: Quote for Q1',
      bodyHtml: '<div dir="ltr">Thanks, looks good.</div>',
      sentAt: 1796119200000,
      rfcMessageId: '<CAreply0002@mail.example.com>',
      inReplyTo: '<CAsent0001@mail.gmail.com>',
    });
  });

  it("reads a thread details answer behind the )]}' line: From from the second list, date from a string", () => {
    const messages = readGmailThreadAnswer(FD_URL, fixture('gmail-fd-answer.json'));
    expect(messages.map((m) => m.messageId)).toEqual(['msg-a:r6660000000000000001', 'msg-f:1850000000000000009']);
    expect(messages[1]).toEqual({
      messageId: 'msg-f:1850000000000000009',
      threadId: 'thread-f:1850000000000000001',
      from: { email: 'buyer@customer.com', name: 'Pat Buyer' },
      to: [{ email: 'rep@acme.com', name: 'Rep Example' }],
      cc: [{ email: 'cfo@customer.com', name: 'Sam Cfo' }],
      subject: 'Re: Pricing',
      bodyHtml: '<div>Can you do 10% less?</div>',
      sentAt: 1796122800000,
      rfcMessageId: '<CAfd0009@mail.example.com>',
    });
  });

  it('takes the sender address of the details when the second list has no From', () => {
    const answer = JSON.parse(fixture('gmail-fd-answer.json').slice(5));
    answer[1][0][1][1][1][1] = null;
    const [, reply] = readGmailThreadAnswer(FD_URL, JSON.stringify(answer));
    expect(reply?.from).toEqual({ email: 'buyer@customer.com' });
  });

  it('reads only thread calls, including a delegated mailbox', () => {
    expect(isGmailThreadUrl('/sync/u/0/d/12345/i/fd?c=1')).toBe(true);
    expect(isGmailThreadUrl('https://mail.google.com/sync/u/2/i/s')).toBe(true);
    expect(isGmailThreadUrl('/sync/u/0/i/bv?c=1')).toBe(false);
    expect(isGmailThreadUrl('https://evil.example/sync/u/0/i/fd')).toBe(false);
    expect(readGmailThreadAnswer('/sync/u/0/i/bv', fixture('gmail-fd-answer.json'))).toEqual([]);
  });
});

describe('reading the conversations Outlook on the web loads', () => {
  it('reads every message of a conversation with its id, Message-ID and parent, and leaves the draft out', () => {
    const messages = readOwaReadingAnswer(GCI_URL, fixture('owa-getconversationitems-answer.json'));
    expect(messages).toHaveLength(2);
    expect(wellFormed(messages)).toBe(true);
    expect(messages[1]).toEqual({
      messageId: 'AAMkADAwATM0MDAAMS1iNTcyLTQ3ZjctMDACLTAwCgBGAAAAAAreply02',
      threadId: 'AAQkADAwATM0MDAAMS1iNTcyLTQ3ZjctMDACLTAwCgAQAKsz0Qj9y0xHrZ8jM0YfXYI=',
      from: { email: 'customer@example.com', name: 'Pat Customer' },
      to: [{ email: 'rep@example.com', name: 'Sample Rep' }],
      cc: [{ email: 'cfo@example.com', name: 'Sam Cfo' }],
      subject: 'RE: Proposal',
      bodyHtml: '<div>We accept.</div>',
      sentAt: Date.parse('2026-11-30T10:15:00Z'),
      rfcMessageId: '<CY4PR02MB0002@namprd02.prod.outlook.com>',
      inReplyTo: '<PH0PR01MB0001@namprd01.prod.outlook.com>',
    });
  });

  it('reads a GetItem answer, its zone offset applied, and skips a failed response message', () => {
    const messages = readOwaReadingAnswer(GI_URL, fixture('owa-getitem-answer.json'));
    expect(messages).toHaveLength(1);
    expect(messages[0]?.sentAt).toBe(Date.parse('2026-11-30T01:15:00Z'));
    expect(messages[0]?.inReplyTo).toBe('<PH0PR01MB0001@namprd01.prod.outlook.com>');
  });

  it('turns a plain-text body into escaped HTML, and does not trust a date without a zone', () => {
    const answer = JSON.parse(fixture('owa-getitem-answer.json'));
    const item = answer.Body.ResponseMessages.Items[0].Items[0];
    item.UniqueBody = { BodyType: 'Text', Value: '<script>x</script>\nhi' };
    expect(readOwaReadingAnswer(GI_URL, JSON.stringify(answer))[0]?.bodyHtml).toBe('&lt;script&gt;x&lt;/script&gt;<br>hi');
    item.DateTimeSent = '2026-11-30T10:15:00';
    item.DateTimeReceived = '2026-11-30T10:15:00';
    expect(readOwaReadingAnswer(GI_URL, JSON.stringify(answer))).toEqual([]);
  });

  it('reads only reading calls', () => {
    expect(isOwaReadingUrl(GCI_URL)).toBe(true);
    expect(isOwaReadingUrl('/owa/0/service.svc?action=CreateItem&app=Mail')).toBe(false);
    expect(isOwaReadingUrl('/owa/0/other.svc?action=GetItem')).toBe(false);
    expect(readOwaReadingAnswer('/owa/0/service.svc?action=FindItem', fixture('owa-getitem-answer.json'))).toEqual([]);
  });
});

describe('reading incoming mail that is broken or hostile', () => {
  const bodies: Array<[string, string]> = [
    ['empty', ''],
    ['not JSON', '<html>error</html>'],
    ['null', 'null'],
    ['a number', '7'],
    ['deep nesting', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['deep nesting, unclosed', '{"Body":'.repeat(200_000)],
  ];
  it.each(bodies)('returns nothing for %s', (_, body) => {
    expect(readGmailThreadAnswer(FD_URL, body)).toEqual([]);
    expect(readOwaReadingAnswer(GCI_URL, body)).toEqual([]);
  });

  it('never lets __proto__ keys reach an object, nor reads inherited fields', () => {
    const answer = fixture('owa-getitem-answer.json').replace('"Subject": "RE: Proposal"', '"Subject": {"__proto__": {"polluted": 1}}');
    const [message] = readOwaReadingAnswer(GI_URL, answer.replace('"From": {', '"From": {"__proto__": {"x": 1},'));
    expect(message?.subject).toBe('');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const hollow = '{"Body":{"ResponseMessages":{"Items":[{"ResponseClass":"Success","Items":[{"__proto__":{"ItemId":{"Id":"x"}}}]}]}}}';
    expect(readOwaReadingAnswer(GI_URL, hollow)).toEqual([]);
  });

  it('bounds a huge thread to the newest messages a report may carry, and stays linear', () => {
    const answer = JSON.parse(fixture('gmail-sync-answer-reply.json'));
    const [, reply] = answer[1][5][0][0][2][6][0][4];
    answer[1][5][0][0][2][6][0][4] = Array.from({ length: 5_000 }, (_, i) => {
      const copy = [...reply];
      copy[0] = `msg-f:${i}`;
      copy[6] = 1796000000000 + i;
      return copy;
    });
    const started = performance.now();
    const messages = readGmailThreadAnswer(S_URL, JSON.stringify(answer));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(messages).toHaveLength(MAX_MESSAGES_PER_REPORT);
    expect(messages.at(-1)?.messageId).toBe('msg-f:199');
  });

  it('never throws and returns only well-formed messages, whatever JSON it gets (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        return wellFormed(readGmailThreadAnswer(FD_URL, text)) && wellFormed(readOwaReadingAnswer(GCI_URL, text));
      }),
      { numRuns: 1_500 },
    );
  });

  it('never throws on the samples with any value put anywhere (property)', () => {
    const samples = [
      [S_URL, JSON.parse(fixture('gmail-sync-answer-reply.json'))],
      [FD_URL, JSON.parse(fixture('gmail-fd-answer.json').slice(5))],
      [GCI_URL, JSON.parse(fixture('owa-getconversationitems-answer.json'))],
      [GI_URL, JSON.parse(fixture('owa-getitem-answer.json'))],
    ] as const;
    /** Every path to a value in the sample, so a mutation can land on any of them. */
    const pathsOf = (value: unknown, path: Array<string | number> = [], out: Array<Array<string | number>> = []) => {
      out.push(path);
      if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, Array.isArray(value) ? Number(k) : k], out);
      return out;
    };
    const junk = fc.oneof(fc.anything({ maxDepth: 2 }), fc.emailAddress(), fc.constant('^r'), fc.constant('2026-11-30T10:15:00Z'));
    fc.assert(
      fc.property(fc.nat(samples.length - 1), fc.array(fc.tuple(fc.nat(), junk), { minLength: 1, maxLength: 4 }), (which, edits) => {
        const [url, sample] = samples[which] as (typeof samples)[number];
        const copy = structuredClone(sample) as Record<string | number, unknown>;
        const paths = pathsOf(copy).filter((p) => p.length > 0);
        for (const [n, value] of edits) {
          const path = paths[n % paths.length] as Array<string | number>;
          let parent: unknown = copy;
          for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)?.[key];
          if (parent && typeof parent === 'object') (parent as Record<string | number, unknown>)[path.at(-1) as string] = value;
        }
        const text = JSON.stringify(copy);
        const read = url.includes('owa') ? readOwaReadingAnswer(url, text) : readGmailThreadAnswer(url, text);
        return wellFormed(read);
      }),
      { numRuns: 1_500 },
    );
  });
});
