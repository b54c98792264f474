import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDetectedSend } from '@/lib/mail/detected-send';
import { gmailSendDetector } from '@/lib/mail/gmail/send-detector';
import { gmailSendOutcomes, parseGmailSyncRequest, readGmailSyncRequest, readGmailSyncResponse } from '@/lib/mail/gmail/sync-request';

const DIR = join(process.cwd(), 'tests', 'fixtures', 'mail', 'gmail');
const fixture = (name: string) => readFileSync(join(DIR, `2022-09-09-${name}.json`), 'utf8');
const SEND_ID = 'msg-a:r8190137112111191537';
const RFC_ID = '<CAFsK+UQf12W_Efo3+hwj+BWb+sk8DaGQkrOoBOU38nHafAHJ4Q@mail.gmail.com>';

/** A fixture's request with its message changed, the way a test would build one. */
function editedSend(edit: (message: unknown[]) => void): string {
  const request = JSON.parse(fixture('cvOnSend_request'));
  edit(request[1][0][0][1][1][13][0]);
  return JSON.stringify(request);
}

describe('reading sends out of Gmail sync requests (captured traffic)', () => {
  it('reads a new message send', () => {
    expect(parseGmailSyncRequest(fixture('cvOnSend_request'))).toEqual([
      {
        messageId: SEND_ID,
        threadId: 'thread-a:r263523620390330024',
        scheduled: false,
        from: { email: 'test@gmail.com', name: 'Test Test' },
        to: [{ email: 'test+1@gmail.com', name: 'Test Test' }],
        cc: [],
        bcc: [],
        subject: 'subject_111',
        bodyHtml: '<div dir="ltr">ab</div>',
      },
    ]);
  });

  it('reads the thread id out of the "thread|message" variant', () => {
    const [send] = parseGmailSyncRequest(fixture('cvOnSend_2_request_customThreadId'));
    expect(send).toMatchObject({ messageId: SEND_ID, threadId: 'thread-a:r263523620390330024' });
  });

  it('reads a reply send in slot [1], with the quoted history in the body', () => {
    const sends = parseGmailSyncRequest(fixture('cvOnReplySend_request'));
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({
      messageId: 'msg-a:r-414184523264894368',
      threadId: 'thread-a:r-474834441621213468',
      from: { email: 'test@streak.com' },
      to: [{ email: 'test@streak.com', name: 'Test Test' }],
      subject: 'Re: tracking test',
      scheduled: false,
    });
    expect(sends[0]?.bodyHtml).toContain('streak-pt-mark');
    expect(sends[0]?.bodyHtml).toContain('\u1427');
  });

  it('reads a reply send in a thread-f thread', () => {
    expect(parseGmailSyncRequest(fixture('cvOnReplySend_2_request'))).toMatchObject([
      { messageId: 'msg-a:r2026878197680476540', threadId: 'thread-f:1743802434391390786', subject: 'Re: hey2' },
    ]);
  });

  it.each([
    ['cvOnDraftSave_request', SEND_ID],
    ['cvOnDraftSaveBatched_request', 'msg-a:r171568093711739042'],
    ['cvOnReplyDraftSave_request', 'msg-a:r-8480821811518170896'],
  ])('reads no send from a draft save (%s), only its draft id', (name, draftId) => {
    expect(parseGmailSyncRequest(fixture(name))).toEqual([]);
    expect(readGmailSyncRequest(fixture(name)).draftIds).toEqual([draftId]);
  });

  it('reads every fixture file, each send passing the bridge check unchanged', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('_request.json') || f.includes('_request_'));
    expect(files).toHaveLength(7);
    for (const file of files) {
      for (const send of parseGmailSyncRequest(readFileSync(join(DIR, file), 'utf8'))) expect(readDetectedSend(send)).toEqual(send);
    }
  });

  it('reads both a draft save and a send batched in one request', () => {
    const send = JSON.parse(fixture('cvOnSend_request'));
    const draft = JSON.parse(fixture('cvOnDraftSaveBatched_request'));
    send[1][0].unshift(draft[1][0][0]);
    const reading = readGmailSyncRequest(JSON.stringify(send));
    expect(reading.sends.map((s) => s.messageId)).toEqual([SEND_ID]);
    expect(reading.draftIds).toEqual(['msg-a:r171568093711739042']);
  });

  it('marks a scheduled send', () => {
    const body = editedSend((m) => {
      m[10] = ['^all', '^scheduled', '^f_bt'];
    });
    expect(parseGmailSyncRequest(body)).toMatchObject([{ messageId: SEND_ID, scheduled: true }]);
  });

  it('reads Cc and Bcc chips, and leaves out entries that are not addresses', () => {
    const body = editedSend((m) => {
      m[3] = [[1, 'cc@customer.com'], [1, 'not-an-address', 'Group'], null, 'x'];
      m[4] = [[1, 'emailtosalesforce@abc.le.salesforce.com']];
    });
    const [send] = parseGmailSyncRequest(body);
    expect(send?.cc).toEqual([{ email: 'cc@customer.com' }]);
    expect(send?.bcc).toEqual([{ email: 'emailtosalesforce@abc.le.salesforce.com' }]);
  });

  it('keeps non-Latin names and a 10,000-character subject, and bounds a longer one', () => {
    const long = editedSend((m) => {
      m[2] = [
        [1, 'tanaka@example.jp', '田中 太郎'],
        [1, 'ivan@example.ru', 'Иван Петров'],
        [1, 'a@example.sa', 'علي'],
      ];
      m[7] = '件'.repeat(10_000);
    });
    const [send] = parseGmailSyncRequest(long);
    expect(send?.to.map((r) => r.name)).toEqual(['田中 太郎', 'Иван Петров', 'علي']);
    expect(send?.subject).toHaveLength(10_000);
    const longer = editedSend((m) => {
      m[7] = 'x'.repeat(50_000);
    });
    expect(parseGmailSyncRequest(longer)[0]?.subject).toHaveLength(10_000);
  });
});

describe('reading Gmail sync requests that are broken or hostile', () => {
  it.each([
    ['empty', ''],
    ['not JSON', 'f.req=%5B%5D&at=xyz'],
    ['a number', '42'],
    ['null', 'null'],
    ['an object', '{"1":[[1]]}'],
    ['updates that are not lists', '[null,[["x",1,null,{"a":1}]]]'],
    ['a message id that is not a string', '[null,[[[1,["thread-a:1",[null,[[7,null]]]]]]]]'],
    ['deep nesting', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['deep nesting, unclosed', '['.repeat(1_000_000)],
  ])('returns nothing for %s', (_, body) => {
    expect(parseGmailSyncRequest(body)).toEqual([]);
  });

  it('never lets __proto__ keys reach an object', () => {
    const body = editedSend((m) => {
      m[1] = JSON.parse('{"__proto__":{"polluted":1},"1":"x@y.co"}');
      m[8] = JSON.parse('{"__proto__":[0,[[0,"<p>x</p>"]]]}');
    });
    const [send] = parseGmailSyncRequest(body.replace('"subject_111"', '{"__proto__":{"polluted":1}}'));
    expect(send).toMatchObject({ messageId: SEND_ID, subject: '', bodyHtml: '' });
    expect(send?.from).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(send)).toBe(Object.prototype);
  });

  it('never throws and always returns well-formed sends, whatever JSON it gets (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const sends = parseGmailSyncRequest(JSON.stringify(value));
        return Array.isArray(sends) && sends.every((s) => readDetectedSend(s) !== null);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never throws on any string, nor on JSON shaped like a sync request (property)', () => {
    const small = { maxLength: 4 };
    const junk = fc.anything({ maxDepth: 2, maxKeys: 3 });
    const labels = fc.constantFrom('^pfg', '^r', '^r_bt', '^scheduled', '^all', '__proto__', 'constructor');
    const address = fc.oneof(fc.emailAddress(), fc.string(), fc.constant(null));
    const entry = fc.tuple(fc.constant(1), address, fc.oneof(fc.string(), fc.constant(null)));
    const message = fc.tuple(
      fc.oneof(fc.constant('msg-a:r1'), fc.constant('msg-a:r2'), fc.string()),
      entry,
      fc.array(entry, small),
      fc.oneof(fc.array(entry, small), fc.constant(null)),
      junk,
      junk,
      junk,
      fc.oneof(fc.string(), junk),
      fc.oneof(fc.tuple(fc.constant(null), fc.array(fc.tuple(fc.nat(), fc.string()), small)), junk),
      junk,
      fc.array(labels, small),
    );
    const slots = fc.array(fc.oneof(junk, fc.array(message, { maxLength: 2 })), { maxLength: 15 });
    const thread = fc.tuple(fc.oneof(fc.constant('thread-a:r1'), fc.string()), slots);
    const request = fc.array(fc.tuple(fc.nat(), thread), small).map((updates) => JSON.stringify([null, [updates]]));
    fc.assert(
      fc.property(fc.oneof(fc.string(), request), (body) => {
        const reading = readGmailSyncRequest(body);
        return reading.sends.every((s) => readDetectedSend(s) !== null) && reading.draftIds.every((id) => typeof id === 'string');
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('reading Gmail answers to a send', () => {
  const [send] = parseGmailSyncRequest(fixture('cvOnSend_request'));

  it('finds the RFC Message-ID of the sent message', () => {
    expect(readGmailSyncResponse(fixture('cvOnSend_response')).get(SEND_ID)?.rfcMessageId).toBe(RFC_ID);
    expect(gmailSendOutcomes(send ? [send] : [], 200, fixture('cvOnSend_response'))).toEqual([
      { messageId: SEND_ID, ok: true, rfcMessageId: RFC_ID },
    ]);
  });

  it('accepts a 2xx answer it cannot read, without a Message-ID', () => {
    expect(gmailSendOutcomes(send ? [send] : [], 200, ")]}'\n[garbage")).toEqual([{ messageId: SEND_ID, ok: true }]);
    expect(gmailSendOutcomes(send ? [send] : [], 200, null)).toEqual([{ messageId: SEND_ID, ok: true }]);
  });

  it("reads an answer behind the )]}' prefix", () => {
    expect(readGmailSyncResponse(`)]}'\n${fixture('cvOnSend_response')}`).get(SEND_ID)?.rfcMessageId).toBe(RFC_ID);
  });

  it.each([0, 400, 500, 503])('fails a send answered with status %i', (status) => {
    expect(gmailSendOutcomes(send ? [send] : [], status, fixture('cvOnSend_response'))).toEqual([{ messageId: SEND_ID, ok: false }]);
  });

  it('fails a send that the answer returns as a draft', () => {
    const answer = fixture('cvOnSend_response').replace('"^pfg",', '"^r",');
    expect(gmailSendOutcomes(send ? [send] : [], 200, answer)).toEqual([{ messageId: SEND_ID, ok: false }]);
  });
});

describe('which Gmail requests are read', () => {
  it.each([
    ['https://mail.google.com/sync/u/0/i/s?hl=en&c=42', 'POST', true],
    ['/sync/u/3/i/s?hl=ja', 'POST', true],
    ['/sync/u/0/i/s', 'POST', true],
    ['https://mail.google.com/sync/u/0/d/274/i/s?hl=en&c=7', 'POST', true],
    ['/sync/u/1/d/boss%40acme.com/i/s', 'POST', true],
    ['/sync/u/0/d/274/i/fd', 'POST', false],
    ['/sync/u/0/d//i/s', 'POST', false],
    ['/sync/u/0/i/s', 'GET', false],
    ['/sync/u/0/i/fd?hl=en', 'POST', false],
    ['/sync/u/0/i/bv', 'POST', false],
    ['https://evil.example/sync/u/0/i/s', 'POST', false],
    ['/mail/u/0/?ui=2&ik=1&act=sm', 'POST', false],
  ])('%s %s: %s', (url, method, wanted) => {
    expect(gmailSendDetector.wants(url, method)).toBe(wanted);
  });
});
