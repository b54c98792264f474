/** The reading pane's worker side against the org emulator: related-to choices, and "Log this email". */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedThread } from '@/lib/logging/inbound';
import { logThisEmail, relatedOptions } from '@/lib/logging/reading-pane';
import type { IncomingMessage } from '@/lib/mail/incoming/message';
import type { SalesforceClient } from '@/lib/salesforce/client';
import { defaultSettings } from '@/lib/settings';
import { type Emulator, startEmulator } from '../../emulator';
import { LOGGING_SEED } from '../outbox/logging-seed';
import { connectRep, freshDatabase } from '../outbox/org';

let sf: Emulator;
let client: SalesforceClient;
beforeAll(async () => {
  sf = await startEmulator({ port: 0, seed: LOGGING_SEED });
  client = await connectRep(sf);
});
afterAll(() => sf.stop());

const REP = 'aiko.tanaka@demo-org.example';
const settings = { ...defaultSettings(), internalDomains: ['demo-org.example'] };
const message = (over: Partial<IncomingMessage> = {}): IncomingMessage => ({
  messageId: 'msg-f:77',
  threadId: 'thread-f:77',
  from: { email: 'hiroshi.suzuki@sakura-seiki.example' },
  to: [{ email: REP }],
  cc: [],
  subject: 'Question',
  bodyHtml: '<p>?</p>',
  sentAt: Date.parse('2026-11-30T01:00:00Z'),
  ...over,
});

describe('what an email may be related to', () => {
  const account = (name: string) => sf.org.records('Account').find((a) => a.Name === name)!.Id;
  const opportunity = (name: string) => sf.org.records('Opportunity').find((o) => o.Name === name)!.Id;

  it("lists the people's accounts and their open opportunities, most recently changed first, with the rule's choice", async () => {
    const found = await relatedOptions(client, ['hiroshi.suzuki@sakura-seiki.example', REP], 'recentOpportunity');
    expect(found).toEqual({
      ok: true,
      options: [
        { id: account('株式会社サクラ精機'), type: 'Account', name: '株式会社サクラ精機' },
        { id: opportunity('サクラ 第二工場'), type: 'Opportunity', name: 'サクラ 第二工場' },
        { id: opportunity('サクラ 保守'), type: 'Opportunity', name: 'サクラ 保守' },
      ],
      preselected: opportunity('サクラ 第二工場'),
    });
    const byAccount = await relatedOptions(client, ['hiroshi.suzuki@sakura-seiki.example'], 'account');
    expect(byAccount.ok && byAccount.preselected).toBe(account('株式会社サクラ精機'));
    const none = await relatedOptions(client, ['hiroshi.suzuki@sakura-seiki.example'], 'none');
    expect(none.ok && none.preselected).toBe('');
  });

  it('escapes every address (an apostrophe is an ordinary address character)', async () => {
    const found = await relatedOptions(client, ["liam.o'brien@globex.example"], 'account');
    expect(found.ok && found.options.map((o) => o.name)).toContain('Globex Corporation');
  });
});

describe('"Log this email"', () => {
  it('queues a received message once, remembering the thread and the chosen record', async () => {
    const db = freshDatabase();
    const first = await logThisEmail(db, 'gmail', REP, message(), settings, '006000000000001AAA');
    expect(first).toMatchObject({ messageId: 'msg-f:77', state: 'queued', direction: 'inbound' });
    await logThisEmail(db, 'gmail', REP, message(), settings, undefined);
    expect(await db.outbox.count()).toBe(1);
    expect((await db.outbox.toArray())[0]?.payload).toMatchObject({ direction: 'inbound', whatId: '006000000000001AAA' });
    expect(await loggedThread(db, 'gmail', 'thread-f:77')).toMatchObject({ mailbox: REP, whatId: '006000000000001AAA' });
  });

  it("logs the rep's own message as sent, and records one the never-log list excludes as skipped", async () => {
    const db = freshDatabase();
    const own = await logThisEmail(
      db,
      'gmail',
      REP,
      message({ messageId: 'msg-a:r1', from: { email: REP }, to: [{ email: 'x@sakura-seiki.example' }] }),
      settings,
      undefined,
    );
    expect(own).toMatchObject({ state: 'queued', direction: 'outbound' });
    const excluded = await logThisEmail(
      db,
      'gmail',
      REP,
      message({ messageId: 'msg-f:2' }),
      { ...settings, neverLog: ['sakura-seiki.example'] },
      undefined,
    );
    expect(excluded).toMatchObject({ state: 'skipped', reason: 'neverLog' });
    expect(await db.outbox.count()).toBe(1);
  });
});
