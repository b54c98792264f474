/**
 * The logger on an org that behaves as a new real org does (the emulator's defaults): the
 * Standard Lead Duplicate Rule active, a user without "Update Email Messages", and the rules an
 * admin may add to Task. Nothing the org refuses sinks an email, and the rep is told what
 * happened.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExtensionDatabase } from '@/lib/db';
import type { RunnerDeps } from '@/lib/outbox/runner';
import type { SalesforceClient } from '@/lib/salesforce/client';
import { type Emulator, startEmulator } from '../../emulator';
import { NEW_ORG_SETTINGS } from '../../emulator/org-settings';
import { LOGGING_SEED } from './logging-seed';
import { type Clock, connectRep, drain, freshDatabase, loggingSettings, makeRunner, send, testClock } from './org';

let sf: Emulator;
let client: SalesforceClient;
let db: ExtensionDatabase;
let clock: Clock;
let kaito: string;

beforeAll(async () => {
  sf = await startEmulator({ port: 0, seed: LOGGING_SEED });
  const prospect = sf.org.records('Account').find((a) => a.Name === 'Prospect Industries KK')!.Id;
  // Known to Salesforce under another address: a new lead for "Kaito Ono" at Prospect Industries is a duplicate.
  ({ kaito } = sf.control.addRecords({
    Contact: [{ '@ref': 'kaito', FirstName: 'Kaito', LastName: 'Ono', AccountId: prospect, Email: 'k.ono@prospect-industries.example' }],
  }) as { kaito: string });
});
afterAll(() => sf.stop());
beforeEach(async () => {
  client = await connectRep(sf);
  db = freshDatabase();
  clock = testClock();
});
afterEach(() => {
  sf.control.clearFaults();
  sf.control.configure(structuredClone(NEW_ORG_SETTINGS));
});

const tasksWithSubject = (subject: string) => sf.org.records('Task').filter((t) => t.Subject === subject);
const newAddress = { email: 'kaito@prospect-industries.example', name: 'Kaito Ono' };
const suzuki = 'hiroshi.suzuki@sakura-seiki.example';
const leadsFor = (email: string) => sf.org.records('Lead').filter((l) => l.Email === email);
const people = (taskIds: string[]) =>
  sf.org
    .records('TaskWhoRelation')
    .filter((r) => taskIds.includes(String(r.TaskId)))
    .map((r) => String(r.RelationId));

describe('a new lead the duplicate rule refuses', () => {
  it('logs to the record Salesforce names, with the matched contacts, and says so', async () => {
    const runner = makeRunner({ db, client, clock, settings: () => loggingSettings({ noMatch: 'createLead' }) });
    const key = await send(db, clock, { subject: 'Dup default', to: [newAddress, suzuki] });
    await drain(runner, clock);
    const tasks = tasksWithSubject('Email: Dup default');
    expect(people(tasks.map((t) => t.Id))).toEqual(
      expect.arrayContaining([kaito, sf.org.records('Contact').find((c) => c.Email === suzuki)!.Id]),
    );
    expect(leadsFor(newAddress.email)).toHaveLength(0);
    expect(await db.activities.get(key)).toMatchObject({
      state: 'logged',
      duplicates: [{ email: newAddress.email, name: 'Kaito Ono' }],
    });
    // The next email to that address goes straight to the contact: no second refusal.
    sf.control.resetCalls();
    await send(db, clock, { subject: 'Dup again', to: [newAddress] });
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Dup again').map((t) => t.WhoId)).toEqual([kaito]);
    expect(sf.control.calls().byEndpoint).toEqual({ 'POST /composite': 1 });
  });

  it('creates the lead anyway where the setting allows and the rule only alerts', async () => {
    const runner = makeRunner({
      db,
      client,
      clock,
      settings: () => loggingSettings({ noMatch: 'createLead', duplicateLeads: 'createAnyway' }),
    });
    const key = await send(db, clock, { subject: 'Dup anyway', to: [{ ...newAddress, email: 'kaito2@prospect-industries.example' }] });
    await drain(runner, clock);
    const [lead] = leadsFor('kaito2@prospect-industries.example');
    expect(lead).toMatchObject({ LastName: 'Ono', Company: 'Prospect Industries KK' });
    expect(tasksWithSubject('Email: Dup anyway').map((t) => t.WhoId)).toEqual([lead!.Id]);
    expect((await db.activities.get(key))?.duplicates).toBeUndefined();
  });

  it('falls back to the named record when the rule blocks', async () => {
    sf.control.configure({ leadDuplicateRule: 'block' });
    const runner = makeRunner({
      db,
      client,
      clock,
      settings: () => loggingSettings({ noMatch: 'createLead', duplicateLeads: 'createAnyway' }),
    });
    const address = { ...newAddress, email: 'kaito3@prospect-industries.example' };
    const key = await send(db, clock, { subject: 'Dup blocked', to: [address] });
    await drain(runner, clock);
    expect(leadsFor(address.email)).toHaveLength(0);
    expect(tasksWithSubject('Email: Dup blocked').map((t) => t.WhoId)).toEqual([kaito]);
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged', duplicates: [{ email: address.email, name: 'Kaito Ono' }] });
  });

  it('without a record it can name, logs to the other recipients and keeps that address unresolved', async () => {
    // The single-record create that would name the match never gets an answer (the network drops it).
    const lossy: RunnerDeps['client'] = {
      currentSession: () => client.currentSession(),
      queryMore: (url, purpose) => client.queryMore(url, purpose),
      request: (request, purpose) =>
        String(request.body ?? '').includes('"referenceId":"duplicateProbe"')
          ? Promise.resolve({ ok: false, error: { kind: 'offline', message: 'dropped' } })
          : client.request(request, purpose),
    };
    const runner = makeRunner({ db, client: lossy, clock, settings: () => loggingSettings({ noMatch: 'createLead' }) });
    const address = { ...newAddress, email: 'kaito4@prospect-industries.example' };
    const key = await send(db, clock, { subject: 'Dup unnamed', to: [address, suzuki] });
    await drain(runner, clock);
    const tasks = tasksWithSubject('Email: Dup unnamed');
    expect(tasks.map((t) => t.WhoId)).toEqual([sf.org.records('Contact').find((c) => c.Email === suzuki)!.Id]);
    expect(leadsFor(address.email)).toHaveLength(0);
    expect(await db.activities.get(key)).toMatchObject({
      state: 'logged',
      unmatched: [address.email],
      duplicates: [{ email: address.email }],
    });
  });
});

describe('Enhanced Email', () => {
  const message = (identifier: string) => sf.org.records('EmailMessage').filter((m) => m.MessageIdentifier === identifier);

  it('without "Update Email Messages": logged once without the From relation, and said', async () => {
    const runner = makeRunner({ db, client, clock, settings: () => loggingSettings({ logAs: 'enhancedEmail' }) });
    const key = await send(db, clock, { subject: 'No permission', rfcMessageId: '<noperm-1@mail.gmail.com>', to: [suzuki] });
    await drain(runner, clock);
    const [logged, ...more] = message('<noperm-1@mail.gmail.com>');
    expect(more).toHaveLength(0);
    const relations = sf.org.records('EmailMessageRelation').filter((r) => r.EmailMessageId === logged!.Id);
    expect(relations.map((r) => r.RelationType)).toEqual(['ToAddress']);
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged', notes: ['fromRelationUnavailable'] });
    // Learned once: the next email is written without it at the first try.
    sf.control.resetCalls();
    await send(db, clock, { subject: 'No permission 2', rfcMessageId: '<noperm-2@mail.gmail.com>', to: [suzuki] });
    await drain(runner, clock);
    expect(message('<noperm-2@mail.gmail.com>')).toHaveLength(1);
    expect(sf.control.calls().byEndpoint).toEqual({ 'POST /composite': 1 });
  });

  it('with the permission: the From relation is written', async () => {
    sf.control.configure({ updateEmailMessages: true });
    const runner = makeRunner({ db, client, clock, settings: () => loggingSettings({ logAs: 'enhancedEmail' }) });
    const key = await send(db, clock, { subject: 'Permission', rfcMessageId: '<perm-1@mail.gmail.com>', to: [suzuki] });
    await drain(runner, clock);
    const [logged] = message('<perm-1@mail.gmail.com>');
    const relations = sf.org.records('EmailMessageRelation').filter((r) => r.EmailMessageId === logged!.Id);
    expect(relations.map((r) => r.RelationType).sort()).toEqual(['FromAddress', 'ToAddress']);
    expect((await db.activities.get(key))?.notes).toBeUndefined();
  });
});

describe('a rule only the admin can change', () => {
  /** Runs the runner, following its wake-ups, until the email failed. */
  const untilFailed = async (runner: ReturnType<typeof makeRunner>, key: string) => {
    for (let i = 0; i < 10; i++) {
      await runner.run();
      if ((await db.activities.get(key))?.state === 'failed') return;
      const wake = runner.nextWakeAt();
      if (wake !== null) clock.set(wake);
    }
  };

  it('fails with the field and the rule message, and logs once the admin changes the org', async () => {
    sf.control.configure({
      taskValidationRule: {
        name: 'Type_required',
        errorMessage: 'Pick a Type for every task',
        requiredField: 'Region__c',
        errorDisplayField: 'Region__c',
      },
    });
    const runner = makeRunner({ db, client, clock });
    const key = await send(db, clock, { subject: 'Ruled', to: [suzuki] });
    await untilFailed(runner, key);
    expect(await db.activities.get(key)).toMatchObject({
      state: 'failed',
      reason: 'orgRule',
      detail: 'Region__c: Pick a Type for every task',
    });
    expect(tasksWithSubject('Email: Ruled')).toHaveLength(0);
    // Tried again by itself an hour later (not before: each try is a refused write).
    const wake = runner.nextWakeAt()!;
    expect(wake).toBeGreaterThanOrEqual(clock.now() + 3_600_000);
    sf.control.configure({ taskValidationRule: null });
    clock.set(wake);
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Ruled')).toHaveLength(1);
    expect(await db.activities.get(key)).toMatchObject({ state: 'logged' });
  });

  it('a required custom field is named the same way', async () => {
    sf.control.configure({ taskRequiredFields: ['Region__c'] });
    const runner = makeRunner({ db, client, clock });
    const key = await send(db, clock, { subject: 'Required', to: [suzuki] });
    await untilFailed(runner, key);
    expect(await db.activities.get(key)).toMatchObject({
      state: 'failed',
      reason: 'orgRule',
      detail: 'Region__c: Required fields are missing: [Region__c]',
    });
  });
});
