/**
 * The outbox's exactly-once guarantee through the faults a review found, against the org
 * emulator: a proof that identifies one record, a write Salesforce commits late, and what the
 * check after a lost answer must update.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallInput } from '@/lib/calls/model';
import { queueCall } from '@/lib/calls/queue';
import type { ExtensionDatabase } from '@/lib/db';
import { afterCompensation } from '@/lib/outbox/plan';
import type { SalesforceClient } from '@/lib/salesforce/client';
import type { SalesforceError } from '@/lib/salesforce/errors';
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

const contact = (email: string) => sf.org.records('Contact').find((c) => String(c.Email).toLowerCase() === email)!;
const tasksWithSubject = (subject: string) => sf.org.records('Task').filter((t) => t.Subject === subject);

function callTo(email: string, overrides: Partial<CallInput> = {}): CallInput {
  const c = contact(email);
  return {
    who: { id: String(c.Id), type: 'Contact', name: String(c.Name), email },
    callType: 'Outbound',
    durationSeconds: 120,
    outcome: 'Connected',
    reason: 'Renewal',
    notes: '',
    at: clock.now(),
    ...overrides,
  };
}

describe('a proof identifies one record', () => {
  it('logs a second call to the same person about the same thing after a lost answer, instead of taking the first call for it', async () => {
    const runner = makeRunner({ db, client, clock });
    const first = await queueCall(db, callTo('hiroshi.suzuki@sakura-seiki.example'), clock.now());
    await drain(runner, clock);
    expect(tasksWithSubject('Call: Renewal')).toHaveLength(1);

    // A gateway's error page instead of Salesforce's answer: nothing was written, but nobody can tell.
    sf.control.fault({ method: 'POST', path: '/composite', status: 502, errorCode: 'ERROR_HTTP_502', message: 'Bad Gateway' });
    const second = await queueCall(db, callTo('hiroshi.suzuki@sakura-seiki.example'), clock.now());
    await drain(runner, clock);

    const tasks = tasksWithSubject('Call: Renewal');
    expect(tasks).toHaveLength(2);
    const firstRow = await db.activities.get(first.key);
    const secondRow = await db.activities.get(second.key);
    expect(secondRow).toMatchObject({ state: 'logged' });
    expect(secondRow!.loggedIds).toHaveLength(1);
    expect(secondRow!.loggedIds[0]).not.toBe(firstRow!.loggedIds[0]);
    expect(new Set(tasks.map((t) => t.Id))).toEqual(new Set([...firstRow!.loggedIds, ...secondRow!.loggedIds]));
  });

  it('finds a call whose answer was lost after Salesforce committed it, by its own id, and writes it once', async () => {
    const runner = makeRunner({ db, client, clock });
    await queueCall(db, callTo('misaki.takahashi@sakura-seiki.example', { reason: 'Follow-up' }), clock.now());
    await drain(runner, clock);
    sf.control.fault({ method: 'POST', path: '/composite', dropAfterCommit: true });
    const again = await queueCall(db, callTo('misaki.takahashi@sakura-seiki.example', { reason: 'Follow-up' }), clock.now());
    await drain(runner, clock);
    const tasks = tasksWithSubject('Call: Follow-up');
    expect(tasks).toHaveLength(2);
    expect((await db.activities.get(again.key))!.loggedIds).toEqual([tasks.find((t) => t.CallObject === again.key)!.Id]);
  });
});

describe('a write Salesforce commits after its caller gave up', () => {
  it('is looked for again once it can no longer commit, and never written a second time', async () => {
    const impatient = await connectRep(sf, { callTimeoutMs: 100 });
    const runner = makeRunner({ db, client: impatient, clock, timing: { settleMs: 0, rideAlongMs: 0, verifyDelayMs: 30_000 } });
    await send(db, clock, { subject: 'Warm-up' });
    await drain(runner, clock);

    // Salesforce takes 3 s: the client gives up after 100 ms, Salesforce commits all the same.
    // (Long enough that the first check surely runs before the commit on a busy machine.)
    sf.control.fault({ method: 'POST', path: '/composite', latencyMs: 3_000 });
    const key = await send(db, clock, { subject: 'Committed late' });
    await runner.run();
    expect(await db.activities.get(key)).toMatchObject({ state: 'logging', reason: 'offline' });
    // The first check runs before the write has landed: it finds nothing, and must not write.
    clock.set(runner.nextWakeAt()!);
    await runner.run();
    expect(tasksWithSubject('Email: Committed late')).toHaveLength(0);
    expect(await db.outbox.get(key)).toMatchObject({ attempt: expect.objectContaining({ checkAfter: expect.any(Number) }) });

    await vi.waitFor(() => expect(tasksWithSubject('Email: Committed late')).toHaveLength(1), { timeout: 10_000 });
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Committed late')).toHaveLength(1);
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged', loggedIds: [tasksWithSubject('Email: Committed late')[0]!.Id] });
  });
});

describe('what a write made, when its answer was lost or the email was logged already', () => {
  const leadsFor = (email: string) => sf.org.records('Lead').filter((l) => l.Email === email);

  it('finds the lead a write created after a lost answer, so the next email to the address does not create a second', async () => {
    const runner = makeRunner({ db, client, clock, settings: () => loggingSettings({ noMatch: 'createLead' }) });
    await send(db, clock, { subject: 'Warm-up' });
    await drain(runner, clock);
    const first = await send(db, clock, { subject: 'Hello Yuki', to: [{ email: 'yuki.sato@fresh-prospect.example', name: 'Yuki Sato' }] });
    // The lookup finds nobody (cached as "no match"); the write that creates the lead loses its answer.
    await runner.run();
    expect(await db.addressCache.get('yuki.sato@fresh-prospect.example')).toMatchObject({ records: [] });
    sf.control.fault({ method: 'POST', path: '/composite', dropAfterCommit: true });
    await drain(runner, clock);
    expect(await db.activities.get(first)).toMatchObject({ state: 'logged' });
    expect(leadsFor('yuki.sato@fresh-prospect.example')).toHaveLength(1);

    await send(db, clock, { subject: 'Hello again', to: ['yuki.sato@fresh-prospect.example'] });
    await drain(runner, clock);
    expect(leadsFor('yuki.sato@fresh-prospect.example')).toHaveLength(1);
    expect(tasksWithSubject('Email: Hello again')).toEqual([
      expect.objectContaining({ WhoId: leadsFor('yuki.sato@fresh-prospect.example')[0]!.Id }),
    ]);
  });

  it('takes back the lead it created as well as its Task when another tool had logged the email already', async () => {
    const runner = makeRunner({ db, client, clock, settings: () => loggingSettings({ noMatch: 'createLead' }) });
    const rfc = '<logged-by-another-tool@mail.gmail.com>';
    await client.request(
      {
        method: 'POST',
        url: '/sobjects/EmailMessage',
        body: JSON.stringify({ Subject: 'Theirs', Status: '3', MessageIdentifier: rfc, FromAddress: 'aiko.tanaka@demo-org.example' }),
        headers: { 'Content-Type': 'application/json' },
      },
      'sync',
    );
    const key = await send(db, clock, { subject: 'Theirs', rfcMessageId: rfc, to: [{ email: 'kai@brand-new.example', name: 'Kai Ito' }] });
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Theirs')).toHaveLength(0);
    expect(leadsFor('kai@brand-new.example')).toHaveLength(0);
    expect(await db.activities.get(key)).toMatchObject({ state: 'skipped', reason: 'alreadyInSalesforce' });
    expect(await db.addressCache.get('kai@brand-new.example')).toBeUndefined();
  });

  it('tells the rep when Salesforce kept a record it was asked to delete, and which', () => {
    const entry = {
      key: 'k',
      kind: 'email' as const,
      createdAt: 0,
      nextAttemptAt: 0,
      attempts: 0,
      payload: null,
      compensate: ['00T1', '00T2', '00Q3'],
    };
    const refused = {
      kind: 'noPermission' as const,
      message: 'insufficient access rights on object id',
      errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
    };
    expect(
      afterCompensation(
        entry,
        new Map<string, SalesforceError | null>([
          ['00T1', null],
          ['00T2', refused],
          ['00Q3', { kind: 'notFound', message: 'entity is deleted' }],
        ]),
      ),
    ).toEqual({
      kind: 'stays',
      ids: ['00T2'],
      error: refused,
    });
    // No answer for a record is not taken as deleted.
    expect(
      afterCompensation(
        entry,
        new Map<string, SalesforceError | null>([
          ['00T1', null],
          ['00T2', null],
        ]),
      ),
    ).toMatchObject({ kind: 'stays', ids: ['00Q3'] });
    expect(
      afterCompensation(
        entry,
        new Map<string, SalesforceError | null>([
          ['00T1', null],
          ['00T2', null],
          ['00Q3', null],
        ]),
      ),
    ).toEqual({ kind: 'removed' });
  });
});
