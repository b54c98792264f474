/**
 * The outbox runner against the org emulator: every setting combination ends with the records
 * Salesforce would hold, and failures end with nothing lost and nothing doubled.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { ExtensionDatabase } from '@/lib/db';
import { assignActivity, retryActivity } from '@/lib/outbox/activity-actions';
import type { SalesforceClient } from '@/lib/salesforce/client';
import { type Emulator, startEmulator } from '../../emulator';
import { LOGGING_SEED } from './logging-seed';
import { type Clock, connectRep, drain, freshDatabase, loggingSettings, makeRunner, send, testClock } from './org';

let sf: Emulator;
let client: SalesforceClient;
let db: ExtensionDatabase;
let clock: Clock;

beforeAll(async () => {
  sf = await startEmulator({ port: 0, seed: LOGGING_SEED });
});
afterAll(() => sf.stop());
beforeEach(async () => {
  client = await connectRep(sf);
  db = freshDatabase();
  clock = testClock();
});
afterEach(() => sf.control.clearFaults());

const idOf = (email: string, type = 'Contact') =>
  sf.org.records(type).find((r) => String(r.Email).toLowerCase() === email.toLowerCase())!.Id;
const tasksWithSubject = (subject: string) => sf.org.records('Task').filter((t) => t.Subject === subject);

describe('logging a sent email as a Task', () => {
  it('writes one Task on the contact and its account, with the other contact related, in one call once known', async () => {
    const runner = makeRunner({ db, client, clock });
    const key = await send(db, clock, {
      subject: 'Line 2 proposal',
      to: [{ email: 'hiroshi.suzuki@sakura-seiki.example', name: '鈴木 浩' }],
      cc: ['misaki.takahashi@sakura-seiki.example', 'boss@demo-org.example'],
    });
    await drain(runner, clock);
    const [task] = tasksWithSubject('Email: Line 2 proposal');
    expect(task).toMatchObject({
      WhoId: idOf('hiroshi.suzuki@sakura-seiki.example'),
      WhatId: sf.org.records('Account').find((a) => a.Name === '株式会社サクラ精機')!.Id,
      TaskSubtype: 'Email',
      Status: 'Completed',
      ActivityDate: '2026-11-28',
    });
    const who = sf.org
      .records('TaskWhoRelation')
      .filter((r) => r.TaskId === task!.Id)
      .map((r) => r.RelationId);
    expect(new Set(who)).toEqual(new Set([idOf('hiroshi.suzuki@sakura-seiki.example'), idOf('misaki.takahashi@sakura-seiki.example')]));
    expect(await db.outbox.count()).toBe(0);
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged', loggedIds: [task!.Id] });

    // The same recipients again: cached, so the email costs one API call.
    sf.control.resetCalls();
    await send(db, clock, {
      subject: 'Follow-up',
      to: ['hiroshi.suzuki@sakura-seiki.example'],
      cc: ['misaki.takahashi@sakura-seiki.example'],
    });
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Follow-up')).toHaveLength(1);
    expect(sf.control.calls().total).toBe(1);
  });
});

describe('every setting combination', () => {
  it('logs to a lead without WhatId', async () => {
    const runner = makeRunner({ db, client, clock });
    await send(db, clock, { subject: 'Lead hello', to: ['mayumi.yoshida@midori-shoji.example'] });
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Lead hello')).toEqual([
      expect.objectContaining({ WhoId: idOf('mayumi.yoshida@midori-shoji.example', 'Lead'), WhatId: null }),
    ]);
  });

  it('matches a hostile address (a quote) and a mixed-case one', async () => {
    const runner = makeRunner({ db, client, clock });
    await send(db, clock, { subject: 'Globex', to: ["Liam.O'Brien@globex.example"], cc: ['mei.watanabe@globex.example'] });
    await drain(runner, clock);
    const [task] = tasksWithSubject('Email: Globex');
    const who = sf.org
      .records('TaskWhoRelation')
      .filter((r) => r.TaskId === task!.Id)
      .map((r) => r.RelationId);
    expect(new Set(who)).toEqual(new Set([idOf("liam.o'brien@globex.example"), idOf('mei.watanabe@globex.example')]));
  });

  it('logs a shared address to all its contacts, to the oldest, or to the most recently active', async () => {
    // Hanae, the younger contact, is the one worked on lately.
    const hanae = sf.org.records('Contact').find((c) => c.FirstName === 'Hanae')!.Id;
    // Salesforce stores datetimes to the second: the edit is a second later on the org's clock.
    sf.control.advanceClock(1_000);
    await client.request(
      {
        method: 'PATCH',
        url: `/sobjects/Contact/${hanae}`,
        body: JSON.stringify({ Title: 'Buyer' }),
        headers: { 'Content-Type': 'application/json' },
      },
      'sync',
    );
    for (const [multipleMatches, expected] of [
      ['all', ['Taro', 'Hanae']],
      ['oldest', ['Taro']],
      ['mostRecentlyActive', ['Hanae']],
    ] as const) {
      const runner = makeRunner({ db, client, clock, settings: () => loggingSettings({ multipleMatches }) });
      const subject = `Shared ${multipleMatches}`;
      await send(db, clock, { subject, to: ['info@shared-inbox.example'] });
      await drain(runner, clock);
      const tasks = tasksWithSubject(`Email: ${subject}`);
      const people = tasks
        .flatMap((t) => sf.org.records('TaskWhoRelation').filter((r) => r.TaskId === t.Id))
        .map((r) => sf.org.get(String(r.RelationId))!.FirstName);
      expect(new Set(people)).toEqual(new Set(expected));
      // Contacts of two accounts: one task per account, each related to its account.
      expect(tasks.every((t) => t.WhatId === sf.org.get(String(t.WhoId))!.AccountId)).toBe(true);
    }
  });

  it("relates to the account's most recent open opportunity, or to every open one with a contact role", async () => {
    const recent = sf.org.records('Opportunity').find((o) => o.Name === 'サクラ 第二工場')!.Id;
    const older = sf.org.records('Opportunity').find((o) => o.Name === 'サクラ 保守')!.Id;
    let runner = makeRunner({ db, client, clock, settings: () => loggingSettings({ relatedRecords: 'recentOpportunity' }) });
    await send(db, clock, { subject: 'Opp recent', to: ['hiroshi.suzuki@sakura-seiki.example'] });
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Opp recent').map((t) => t.WhatId)).toEqual([recent]);

    runner = makeRunner({ db, client, clock, settings: () => loggingSettings({ relatedRecords: 'allOpportunitiesWithRole' }) });
    await send(db, clock, {
      subject: 'Opp roles',
      to: ['hiroshi.suzuki@sakura-seiki.example'],
      cc: ['misaki.takahashi@sakura-seiki.example'],
    });
    await drain(runner, clock);
    // Suzuki has a role on the open "older" one only (the other is closed); Takahashi has none: her account.
    const tasks = tasksWithSubject('Email: Opp roles').map((t) => [sf.org.get(String(t.WhoId))!.LastName, t.WhatId]);
    expect(tasks).toEqual(
      expect.arrayContaining([
        ['鈴木', older],
        ['高橋', sf.org.records('Account').find((a) => a.Name === '株式会社サクラ精機')!.Id],
      ]),
    );
    expect(tasks).toHaveLength(2);
  });

  it('relates to nothing with "none", and logs only contacts or only leads when asked', async () => {
    const runner = makeRunner({ db, client, clock, settings: () => loggingSettings({ relatedRecords: 'none', logToLeads: false }) });
    const key = await send(db, clock, {
      subject: 'No what',
      to: ['hiroshi.suzuki@sakura-seiki.example', 'mayumi.yoshida@midori-shoji.example'],
    });
    await drain(runner, clock);
    expect(tasksWithSubject('Email: No what')).toEqual([
      expect.objectContaining({ WhoId: idOf('hiroshi.suzuki@sakura-seiki.example'), WhatId: null }),
    ]);
    expect((await db.activities.get(key))?.unmatched).toEqual(['mayumi.yoshida@midori-shoji.example']);
  });

  it('keeps an email nobody matches as unresolved, then logs it to the record the rep assigns', async () => {
    const runner = makeRunner({ db, client, clock });
    const key = await send(db, clock, { subject: 'Stranger', to: [{ email: 'someone@unknown.example', name: 'Some One' }] });
    await drain(runner, clock);
    expect(await db.activities.get(key)).toMatchObject({ state: 'unresolved', unmatched: ['someone@unknown.example'] });
    expect(tasksWithSubject('Email: Stranger')).toHaveLength(0);
    // The rep searches and picks Takahashi: logged to her and her account, and the address is hers from now on.
    const takahashi = sf.org.get(idOf('misaki.takahashi@sakura-seiki.example'))!;
    await assignActivity(
      db,
      key,
      [{ id: takahashi.Id, type: 'Contact', name: '高橋 美咲', accountId: String(takahashi.AccountId) }],
      clock.now(),
    );
    await runner.resume();
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Stranger')).toEqual([expect.objectContaining({ WhoId: takahashi.Id, WhatId: takahashi.AccountId })]);
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged' });
    await send(db, clock, { subject: 'Stranger again', to: ['someone@unknown.example'] });
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Stranger again')).toEqual([expect.objectContaining({ WhoId: takahashi.Id })]);
    // A converted lead never matches either.
    const converted = await send(db, clock, { subject: 'Old', to: ['converted@old-co.example'] });
    await drain(runner, clock);
    expect((await db.activities.get(converted))?.state).toBe('unresolved');
  });

  it("relates an assigned email to the contact's most recent open opportunity", async () => {
    const runner = makeRunner({ db, client, clock, settings: () => loggingSettings({ relatedRecords: 'recentOpportunity' }) });
    const key = await send(db, clock, { subject: 'Assigned opp', to: ['someone.else@unknown.example'] });
    await drain(runner, clock);
    const suzuki = sf.org.get(idOf('hiroshi.suzuki@sakura-seiki.example'))!;
    await assignActivity(db, key, [{ id: suzuki.Id, type: 'Contact', name: '鈴木 浩', accountId: String(suzuki.AccountId) }], clock.now());
    await runner.resume();
    await drain(runner, clock);
    const recent = sf.org.records('Opportunity').find((o) => o.Name === 'サクラ 第二工場')!.Id;
    expect(tasksWithSubject('Email: Assigned opp')).toEqual([expect.objectContaining({ WhoId: suzuki.Id, WhatId: recent })]);
  });

  it('does not log an email nobody matches with "don\'t log"', async () => {
    const runner = makeRunner({ db, client, clock, settings: () => loggingSettings({ noMatch: 'skip' }) });
    const key = await send(db, clock, { subject: 'Nobody', to: ['someone@unknown.example'] });
    await drain(runner, clock);
    expect(await db.activities.get(key)).toMatchObject({ state: 'skipped', reason: 'noMatch' });
    expect(await db.outbox.count()).toBe(0);
  });

  it('creates a lead for an unmatched address, the company from an account with that website, and logs to it', async () => {
    const runner = makeRunner({ db, client, clock, settings: () => loggingSettings({ noMatch: 'createLead' }) });
    const key = await send(db, clock, {
      subject: 'New lead',
      to: [{ email: 'ken.mori@prospect-industries.example', name: 'Ken Mori' }, { email: 'anna@new-startup.example' }],
    });
    await drain(runner, clock);
    const leads = sf.org
      .records('Lead')
      .filter((l) => ['ken.mori@prospect-industries.example', 'anna@new-startup.example'].includes(String(l.Email)));
    expect(leads.map((l) => [l.FirstName, l.LastName, l.Company])).toEqual(
      expect.arrayContaining([
        ['Ken', 'Mori', 'Prospect Industries KK'],
        [null, 'Anna', 'New Startup'],
      ]),
    );
    const tasks = tasksWithSubject('Email: New lead');
    expect(new Set(tasks.map((t) => t.WhoId))).toEqual(new Set(leads.map((l) => l.Id)));
    expect(tasks.every((t) => t.WhatId === null)).toBe(true);
    expect((await db.activities.get(key))?.matched.map((m) => m.id).sort()).toEqual(leads.map((l) => l.Id).sort());
    // The next email to them finds the new leads without creating more.
    await send(db, clock, { subject: 'Again', to: ['ken.mori@prospect-industries.example'] });
    await drain(runner, clock);
    expect(sf.org.records('Lead').filter((l) => l.Email === 'ken.mori@prospect-industries.example')).toHaveLength(1);
  });

  it('logs as Enhanced Email: an EmailMessage, sent, with its relations, and the Task Salesforce makes for it', async () => {
    // A user with "Update Email Messages" (without it, see org-rules.test.ts).
    sf.control.configure({ updateEmailMessages: true });
    onTestFinished(() => void sf.control.configure({ updateEmailMessages: false }));
    const runner = makeRunner({ db, client, clock, settings: () => loggingSettings({ logAs: 'enhancedEmail' }) });
    const key = await send(db, clock, {
      subject: 'Enhanced',
      rfcMessageId: '<enhanced-1@mail.gmail.com>',
      to: ['hiroshi.suzuki@sakura-seiki.example', 'stranger@unknown.example'],
      cc: ['mayumi.yoshida@midori-shoji.example'],
    });
    await drain(runner, clock);
    const [message] = sf.org.records('EmailMessage').filter((m) => m.MessageIdentifier === '<enhanced-1@mail.gmail.com>');
    expect(message).toMatchObject({
      Status: '3',
      Subject: 'Enhanced',
      ToAddress: 'stranger@unknown.example',
      FromAddress: 'aiko.tanaka@demo-org.example',
    });
    const relations = sf.org.records('EmailMessageRelation').filter((r) => r.EmailMessageId === message!.Id);
    expect(relations.map((r) => [r.RelationType, r.RelationId]).sort()).toEqual(
      [
        ['CcAddress', idOf('mayumi.yoshida@midori-shoji.example', 'Lead')],
        ['FromAddress', sf.org.defaultUser().Id],
        ['ToAddress', idOf('hiroshi.suzuki@sakura-seiki.example')],
      ].sort(),
    );
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged', loggedIds: [message!.Id] });
  });
});

describe('nothing lost, nothing doubled', () => {
  const warm = async (runner: ReturnType<typeof makeRunner>) => {
    await send(db, clock, { subject: 'Warm-up', to: ['hiroshi.suzuki@sakura-seiki.example'] });
    await drain(runner, clock);
  };

  it('refreshes an expired session and logs once', async () => {
    const runner = makeRunner({ db, client, clock });
    await warm(runner);
    sf.control.expireSessions();
    await send(db, clock, { subject: 'After expiry' });
    await drain(runner, clock);
    expect(tasksWithSubject('Email: After expiry')).toHaveLength(1);
  });

  it('waits out an unavailable Salesforce with back-off, showing why, then logs once', async () => {
    const runner = makeRunner({ db, client, clock });
    await warm(runner);
    sf.control.fault({ method: 'POST', path: '/composite', status: 503, times: 3 });
    const key = await send(db, clock, { subject: 'Outage' });
    await runner.run();
    // Salesforce answered with its own error: nothing was written, the email waits, and says why.
    expect(await db.activities.get(key)).toMatchObject({ state: 'queued', reason: 'salesforceDown' });
    const firstWake = runner.nextWakeAt()!;
    expect(firstWake).toBeGreaterThan(clock.now() + 20_000);
    clock.set(firstWake);
    await runner.run();
    // Waits longer each time.
    expect(runner.nextWakeAt()! - clock.now()).toBeGreaterThan(firstWake - (clock.now() - 1));
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Outage')).toHaveLength(1);
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged' });
    expect((await db.activities.get(key))?.reason).toBeUndefined();
  });

  it('finds the Task a write made when the connection dropped after Salesforce committed, and does not write it again', async () => {
    const runner = makeRunner({ db, client, clock });
    await warm(runner);
    sf.control.fault({ method: 'POST', path: '/composite', dropAfterCommit: true });
    const key = await send(db, clock, { subject: 'Dropped' });
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Dropped')).toHaveLength(1);
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged', loggedIds: [tasksWithSubject('Email: Dropped')[0]!.Id] });
    expect(await db.outbox.count()).toBe(0);
  });

  it('gives up waiting on a write after its deadline, then finds the Task it made instead of writing again', async () => {
    const impatient = await connectRep(sf, { callTimeoutMs: 100 });
    const runner = makeRunner({ db, client: impatient, clock, timing: { settleMs: 0, rideAlongMs: 0, verifyDelayMs: 30_000 } });
    await warm(runner);
    sf.control.fault({ method: 'POST', path: '/composite', latencyMs: 400 });
    const key = await send(db, clock, { subject: 'Slow' });
    await runner.run();
    expect(await db.activities.get(key)).toMatchObject({ state: 'logging', reason: 'offline' });
    // The write reaches Salesforce after all.
    await vi.waitFor(() => expect(tasksWithSubject('Email: Slow')).toHaveLength(1), { timeout: 4_000 });
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Slow')).toHaveLength(1);
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged' });
  });

  it('resumes after the worker is killed mid-write: a new runner over the same database logs once', async () => {
    const first = makeRunner({ db, client, clock });
    await warm(first);
    sf.control.fault({ method: 'POST', path: '/composite', latencyMs: 300 });
    await send(db, clock, { subject: 'Killed' });
    const inFlight = first.run();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await first.abandon();
    await inFlight;
    const second = makeRunner({ db, client, clock });
    await drain(second, clock);
    expect(tasksWithSubject('Email: Killed')).toHaveLength(1);
    expect(await db.outbox.count()).toBe(0);
  });

  it('writes again, once, when the killed worker never reached Salesforce', async () => {
    const first = makeRunner({ db, client, clock });
    await warm(first);
    sf.control.fault({ method: 'POST', path: '/composite', status: 503 });
    await send(db, clock, { subject: 'Never sent' });
    await first.run();
    const second = makeRunner({ db, client, clock });
    await drain(second, clock);
    expect(tasksWithSubject('Email: Never sent')).toHaveLength(1);
  });

  it("stops at a refusal with Salesforce's reason, and Retry logs it", async () => {
    const runner = makeRunner({ db, client, clock });
    await warm(runner);
    sf.control.fault({
      method: 'POST',
      path: '/composite',
      status: 400,
      errorCode: 'STRING_TOO_LONG',
      message: 'Subject: data value too large',
    });
    const key = await send(db, clock, { subject: 'Refused' });
    await drain(runner, clock);
    // (A refusal by a rule of the org is tried again by itself: org-rules.test.ts.)
    expect(await db.activities.get(key)).toMatchObject({
      state: 'failed',
      reason: 'validation',
      detail: expect.stringContaining('Subject: data value too large'),
    });
    expect(runner.nextWakeAt()).toBeNull();
    expect(await retryActivity(db, key, clock.now())).toBeNull();
    await runner.resume();
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Refused')).toHaveLength(1);
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged' });
  });

  it('looks an address up again when its contact was deleted, and logs to who is left', async () => {
    const runner = makeRunner({ db, client, clock });
    const both = { to: ['ken.leaving@globex.example'], cc: ["liam.o'brien@globex.example"] };
    await send(db, clock, { subject: 'Both', ...both });
    await drain(runner, clock);
    await client.request({ method: 'DELETE', url: `/sobjects/Contact/${idOf('ken.leaving@globex.example')}` }, 'sync');
    const key = await send(db, clock, { subject: 'After delete', ...both });
    await drain(runner, clock);
    expect(tasksWithSubject('Email: After delete')).toEqual([expect.objectContaining({ WhoId: idOf("liam.o'brien@globex.example") })]);
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged', unmatched: ['ken.leaving@globex.example'] });
  });

  it('takes back its Task when another tool had already logged the same email', async () => {
    const runner = makeRunner({ db, client, clock });
    await warm(runner);
    const rfc = '<already-there@mail.gmail.com>';
    await client.request(
      {
        method: 'POST',
        url: '/sobjects/EmailMessage',
        body: JSON.stringify({ Subject: 'Twice', Status: '3', MessageIdentifier: rfc, FromAddress: 'aiko.tanaka@demo-org.example' }),
        headers: { 'Content-Type': 'application/json' },
      },
      'sync',
    );
    const key = await send(db, clock, { subject: 'Twice', rfcMessageId: rfc });
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Twice')).toHaveLength(0);
    expect(sf.org.records('EmailMessage').filter((m) => m.MessageIdentifier === rfc)).toHaveLength(1);
    expect(await db.activities.get(key)).toMatchObject({ state: 'skipped', reason: 'alreadyInSalesforce' });
  });
});
