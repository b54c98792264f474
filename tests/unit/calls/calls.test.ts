/**
 * Logging a call and finding who it was with, against the org emulator: the Task it makes,
 * what happens offline or when an answer is lost, and search by name, phone or email.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallInput } from '@/lib/calls/model';
import { checkCall, parseDuration } from '@/lib/calls/model';
import { PARKED, queueCall } from '@/lib/calls/queue';
import { recentPeople, rememberPerson, searchPeople, searchSosl } from '@/lib/calls/search';
import { createOutboxRunner } from '@/lib/outbox/runner';
import { defaultSettings } from '@/lib/settings';
import { localDate } from '@/lib/tasks/model';
import { type SyncWorld, startWorld, stopWorld } from '../sync/support';

let w: SyncWorld;
beforeEach(async () => {
  w = await startWorld();
  // What the org supports is read once ahead (one describe call), so faults below hit the writes.
  await runner().prepare();
});
afterEach(() => stopWorld(w));

const person = (lastName: string) => {
  const contact = w.sf.org.records('Contact').find((c) => c.LastName === lastName);
  if (!contact) throw new Error(`no contact ${lastName}`);
  return { id: contact.Id, type: 'Contact' as const, name: String(contact.Name), email: String(contact.Email) };
};
const call = (overrides: Partial<CallInput> = {}): CallInput => ({
  who: person('Harper'),
  callType: 'Outbound',
  durationSeconds: 270,
  outcome: 'Left voicemail',
  reason: 'Renewal pricing',
  notes: 'Asked her to call back before Friday.',
  at: Date.now(),
  ...overrides,
});
const callTasks = () => w.sf.org.records('Task').filter((t) => t.TaskSubtype === 'Call');
/** Calls go through the outbox runner, with sent email; a fresh runner each time, as after a worker restart. */
const runner = (now = Date.now) =>
  createOutboxRunner({ db: w.db, client: w.client, settings: async () => defaultSettings(), now, random: () => 0 });
/** Runs the outbox; answers when it wants to run next (null: nothing waits). */
const send = async (now = Date.now) => {
  const r = runner(now);
  await r.run();
  return r.nextWakeAt();
};

describe('logging a call', () => {
  it('makes a completed Call task with type, duration and outcome, on the person', async () => {
    const queued = await queueCall(w.db, call(), Date.now());
    expect(queued.state).toBe('queued');
    expect(await send()).toBeNull();
    expect(callTasks()).toHaveLength(1);
    expect(callTasks()[0]).toMatchObject({
      Subject: 'Call: Renewal pricing',
      TaskSubtype: 'Call',
      Status: 'Completed',
      CallType: 'Outbound',
      CallDurationInSeconds: 270,
      CallDisposition: 'Left voicemail',
      Description: 'Asked her to call back before Friday.',
      WhoId: person('Harper').id,
      ActivityDate: localDate(Date.now()),
      OwnerId: w.userId,
    });
    expect(await w.db.outbox.count()).toBe(0);
    expect(await w.db.activities.get(queued.key)).toMatchObject({ state: 'logged', loggedIds: [callTasks()[0]?.Id] });
  });

  it('keeps the call while Salesforce is unavailable and sends it once it is back', async () => {
    const queued = await queueCall(w.db, call(), Date.now());
    w.sf.control.fault({ path: '/composite', status: 503, times: 0 });
    const next = await send();
    expect(next).toBeGreaterThan(Date.now());
    expect(await w.db.activities.get(queued.key)).toMatchObject({ state: 'queued', reason: 'salesforceDown' });
    expect(callTasks()).toHaveLength(0);
    w.sf.control.clearFaults();
    await send(() => (next as number) + 1);
    expect(callTasks()).toHaveLength(1);
    expect(await w.db.activities.get(queued.key)).toMatchObject({ state: 'logged' });
  });

  it('never logs a call twice when the answer to the create was lost', async () => {
    await queueCall(w.db, call(), Date.now());
    w.sf.control.fault({ method: 'POST', path: '/composite', dropAfterCommit: true });
    const next = await send();
    expect(callTasks()).toHaveLength(1);
    await send(() => (next as number) + 1);
    expect(callTasks()).toHaveLength(1);
    expect(await w.db.outbox.count()).toBe(0);
  });

  it('parks a call Salesforce refuses, with the reason, for the rep to retry', async () => {
    const queued = await queueCall(w.db, call({ outcome: 'x'.repeat(255) }), Date.now());
    w.sf.control.fault({
      method: 'POST',
      path: '/composite',
      status: 400,
      errorCode: 'STRING_TOO_LONG',
      message: 'Call Result: data value too large',
    });
    await send();
    expect(await w.db.activities.get(queued.key)).toMatchObject({ state: 'failed', reason: 'validation' });
    expect((await w.db.outbox.get(queued.key))?.nextAttemptAt).toBe(PARKED);
    // The Activity tab's retry: due again now.
    await w.db.outbox.update(queued.key, { nextAttemptAt: Date.now() });
    await send();
    expect(await w.db.activities.get(queued.key)).toMatchObject({ state: 'logged' });
  });
});

describe('checking a call', () => {
  it('refuses a call without a person, with a wrong id, or absurd duration', () => {
    expect(checkCall({ ...call(), who: null })).toMatchObject({ ok: false, field: 'who' });
    expect(checkCall({ ...call(), who: { id: '001000000000001AAA', type: 'Contact', name: 'x' } })).toMatchObject({
      ok: false,
      field: 'who',
    });
    expect(checkCall({ ...call(), durationSeconds: 90_000 })).toMatchObject({ ok: false, field: 'durationSeconds' });
    expect(checkCall({ ...call(), extra: 1 })).toMatchObject({ ok: false, field: 'call' });
  });

  it('reads durations as minutes or minutes:seconds', () => {
    expect(parseDuration('5')).toBe(300);
    expect(parseDuration('4:30')).toBe(270);
    expect(parseDuration('')).toBe(0);
    expect(parseDuration('4:75')).toBeNull();
    expect(parseDuration('soon')).toBeNull();
  });
});

describe('finding who the call was with', () => {
  it('finds Contacts and Leads by name, phone or email', async () => {
    const byName = await searchPeople(w.client, 'Garc');
    expect(byName.ok && byName.value.map((p) => [p.type, p.name])).toEqual([['Lead', 'Sofia Garcia']]);
    const byPhone = await searchPeople(w.client, '6-6123-4570');
    expect(byPhone.ok && byPhone.value.map((p) => p.name)).toEqual(['浩 鈴木']);
    const byEmail = await searchPeople(w.client, 'mei.watanabe@aoba-soft.example');
    expect(byEmail.ok && byEmail.value.map((p) => p.email)).toEqual(['Mei.Watanabe@Aoba-Soft.example']);
  });

  it("searches for names with SOSL's reserved characters safely", async () => {
    expect(searchSosl("O'Brien")).toContain("{O\\'Brien*}");
    const found = await searchPeople(w.client, "O'Brien");
    expect(found.ok && found.value.map((p) => p.type)).toEqual(['Contact']);
    expect(await searchPeople(w.client, 'a')).toEqual({ ok: true, value: [] });
  });

  it('lists people recently used first, from this browser, without asking Salesforce', async () => {
    await rememberPerson(w.db, person('Harper'), 1);
    await rememberPerson(w.db, person('Chen'), 2);
    w.resetCalls();
    expect((await recentPeople(w.db, '')).map((p) => p.name)).toEqual([person('Chen').name, person('Harper').name]);
    expect((await recentPeople(w.db, 'harp')).map((p) => p.name)).toEqual([person('Harper').name]);
    expect(w.calls()).toBe(0);
  });
});
