/**
 * The outbox's exactly-once guarantee through the faults a review found, against the org
 * emulator: a proof that identifies one record, a write Salesforce commits late, and what the
 * check after a lost answer must update.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallInput } from '@/lib/calls/model';
import { queueCall } from '@/lib/calls/queue';
import type { ExtensionDatabase } from '@/lib/db';
import type { SalesforceClient } from '@/lib/salesforce/client';
import { type Emulator, startEmulator } from '../../emulator';
import { LOGGING_SEED } from './logging-seed';
import { type Clock, connectRep, drain, freshDatabase, makeRunner, send, testClock } from './org';

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
const realTime = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

    // Salesforce takes 600 ms: the client gives up after 100, Salesforce commits all the same.
    sf.control.fault({ method: 'POST', path: '/composite', latencyMs: 600 });
    const key = await send(db, clock, { subject: 'Committed late' });
    await runner.run();
    expect(await db.activities.get(key)).toMatchObject({ state: 'logging', reason: 'offline' });
    // The first check runs before the write has landed: it finds nothing, and must not write.
    clock.set(runner.nextWakeAt()!);
    await runner.run();
    expect(tasksWithSubject('Email: Committed late')).toHaveLength(0);
    expect(await db.outbox.get(key)).toMatchObject({ attempt: expect.objectContaining({ checkAfter: expect.any(Number) }) });

    await realTime(800);
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Committed late')).toHaveLength(1);
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged', loggedIds: [tasksWithSubject('Email: Committed late')[0]!.Id] });
  });
});
