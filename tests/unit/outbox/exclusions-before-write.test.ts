/**
 * The rep's and the admin's exclusions are read again just before each write: email queued
 * while logging was on is not written once logging is off, a recipient is on the never-log list,
 * or an admin policy locks logging off.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ExtensionDatabase } from '@/lib/db';
import type { SalesforceClient } from '@/lib/salesforce/client';
import { loadSettings, type Settings } from '@/lib/settings';
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

const tasksWithSubject = (subject: string) => sf.org.records('Task').filter((t) => t.Subject === subject);

describe('exclusions changed while email waits', () => {
  it('does not write queued email once the rep switches logging off, or puts a recipient on the never-log list', async () => {
    let settings: Settings = loggingSettings();
    const runner = makeRunner({ db, client, clock, settings: () => settings });
    const off = await send(db, clock, { subject: 'Before off', to: ['hiroshi.suzuki@sakura-seiki.example'] });
    const never = await send(db, clock, { subject: 'Before never-log', to: ['misaki.takahashi@sakura-seiki.example'] });
    const kept = await send(db, clock, { subject: 'Still logged', to: ["liam.o'brien@globex.example"] });
    // The lookup pass runs with logging on; the rep changes the settings before the write.
    await runner.run();
    settings = loggingSettings({ neverLog: ['sakura-seiki.example'] });
    await drain(runner, clock);
    expect(tasksWithSubject('Email: Before never-log')).toHaveLength(0);
    expect(tasksWithSubject('Email: Before off')).toHaveLength(0);
    expect(await db.activities.get(never)).toMatchObject({ state: 'skipped', reason: 'neverLog' });
    expect(await db.activities.get(off)).toMatchObject({ state: 'skipped', reason: 'neverLog' });
    expect(tasksWithSubject('Email: Still logged')).toHaveLength(1);
    expect(await db.activities.get(kept)).toMatchObject({ state: 'logged' });
    expect(await db.outbox.count()).toBe(0);

    const late = await send(db, clock, { subject: 'After off', to: ["liam.o'brien@globex.example"] });
    settings = loggingSettings({ emailLogging: 'off' });
    await drain(runner, clock);
    expect(tasksWithSubject('Email: After off')).toHaveLength(0);
    expect(await db.activities.get(late)).toMatchObject({ state: 'skipped', reason: 'off' });
  });

  it('does not write queued email once an admin policy locks logging off', async () => {
    const runner = makeRunner({
      db,
      client,
      clock,
      settings: async () => ({ ...(await loadSettings()).values, internalDomains: ['demo-org.example'] }),
    });
    const key = await send(db, clock, { subject: 'Before the policy', to: ['hiroshi.suzuki@sakura-seiki.example'] });
    await fakeBrowser.storage.managed.set({ settings: { emailLogging: 'off' }, lockedSettings: ['emailLogging'] });
    try {
      await drain(runner, clock);
    } finally {
      await fakeBrowser.storage.managed.clear();
    }
    expect(tasksWithSubject('Email: Before the policy')).toHaveLength(0);
    expect(await db.activities.get(key)).toMatchObject({ state: 'skipped', reason: 'off' });
  });
});
