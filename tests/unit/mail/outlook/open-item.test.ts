import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openOwaIds, owaIdKey } from '@/lib/mail/outlook/open-item';

// Ids in the shapes of docs/outlook.md "The open item": EWS form (with + / =) and REST form (- _).
const CONVERSATION = 'AAQkADAwATM0MDAAMS1iNTcyLTQ3ZjctMDACLTAwCgAQAE2E+gBCc/JIo/QpaCUB5uA=';
const ITEM =
  'AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZkLWFmYzJmM2YyOWZhOABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5G+T7KZ11NPAAAAAAEMAAAiIsqMbYjsT5G+T7KZ11NPAAAAAAE/AAA=';
const CONSUMER = 'AQQkADAwATY0MDABLTBlYTYtOWU2OC0wMAItMDAKABAAulonNU122kKHdsJlc5a1iA==';
const enc = encodeURIComponent;

describe('the item Outlook on the web has open, from its URL', () => {
  it('reads the conversation or item of the reading pane, in any folder, on every host', () => {
    expect(openOwaIds(`https://outlook.office.com/mail/inbox/id/${enc(CONVERSATION)}`)).toEqual([CONVERSATION]);
    expect(openOwaIds(`https://outlook.office365.com/mail/sentitems/id/${enc(ITEM)}`)).toEqual([ITEM]);
    expect(openOwaIds(`https://outlook.live.com/mail/0/inbox/id/${enc(CONSUMER)}`)).toEqual([CONSUMER]);
    expect(openOwaIds(`https://outlook.cloud.microsoft/mail/AAMkAGFolder%3D/id/${enc(CONVERSATION)}?nlp=1#x`)).toEqual([CONVERSATION]);
  });

  it('reads the message shown beside the list after its conversation, and the pop-out window', () => {
    expect(openOwaIds(`https://outlook.live.com/mail/0/inbox/id/${enc(CONSUMER)}/sxs/${enc(ITEM)}`)).toEqual([CONSUMER, ITEM]);
    expect(openOwaIds(`https://outlook.office.com/mail/deeplink/read/${enc(ITEM)}`)).toEqual([ITEM]);
    expect(openOwaIds(`https://outlook.office365.com/mail/deeplink/read/${enc(ITEM)}?ItemID=${enc(ITEM)}&exvsurl=1`)).toEqual([ITEM]);
    expect(openOwaIds(`https://outlook.office.com/mail/deeplink?ItemID=${enc(ITEM)}`)).toEqual([ITEM]);
  });

  it("gives REST-style ids (- and _) in the EWS form of OWA's answers", () => {
    const rest = ITEM.replaceAll('+', '-').replaceAll('/', '_');
    expect(openOwaIds(`https://outlook.office.com/mail/inbox/id/${rest}`)).toEqual([ITEM]);
    expect(owaIdKey(rest)).toBe(owaIdKey(ITEM));
  });

  it('reads nothing where nothing is open or the id is not an id', () => {
    for (const url of [
      'https://outlook.office.com/mail/inbox',
      'https://outlook.office.com/mail/0/',
      'https://outlook.office.com/mail/inbox/id/',
      'https://outlook.office.com/mail/inbox/id/short',
      `https://outlook.office.com/calendar/view/id/${enc(ITEM)}`,
      `https://outlook.office.com/mail/inbox/id/${enc('<script>alert(1)</script>')}`,
      'https://outlook.office.com/mail/inbox/id/%E0%A4%A',
      `https://outlook.office.com/mail/inbox/id/${'A'.repeat(5_000)}`,
      `https://outlook.office.com/mail/inbox?ItemID=${enc(ITEM)}`,
      'not a url',
      '',
    ]) {
      expect(openOwaIds(url), url).toEqual([]);
    }
    expect(openOwaIds(null)).toEqual([]);
    expect(openOwaIds({ href: 'x' })).toEqual([]);
  });

  it('never throws on hostile URLs', () => {
    const part = fc.oneof(fc.constantFrom('mail', 'id', 'sxs', 'deeplink', 'read', '0', '%', '%E0', ITEM, '..'), fc.string());
    fc.assert(
      fc.property(fc.array(part, { maxLength: 12 }), fc.string(), (parts, query) => {
        const ids = openOwaIds(`https://outlook.office.com/${parts.join('/')}?${query}`);
        expect(Array.isArray(ids)).toBe(true);
        for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      }),
    );
    fc.assert(fc.property(fc.anything(), (value) => Array.isArray(openOwaIds(value))));
  });

  it('stays linear on the longest URL it reads', () => {
    const worst = [
      `https://outlook.office.com/mail/${'id/'.repeat(2_600)}`,
      `https://outlook.office.com/mail/inbox/id/${'%41'.repeat(2_600)}`,
    ];
    const started = performance.now();
    for (let i = 0; i < 200; i++) for (const url of worst) openOwaIds(url);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
