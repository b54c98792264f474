/**
 * The worker's logging service against the org emulator: the compose preview's counts, the
 * Activity tab's list, retry and assign, the toolbar badge, and its alarm.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLoggingWorker, OUTBOX_ALARM } from '@/lib/background/logging-worker';
import type { ExtensionDatabase } from '@/lib/db';
import type { Message } from '@/lib/messages';
import { loadSettings, NO_POLICY, resolveSettings, type Settings } from '@/lib/settings';
import { type Emulator, startEmulator } from '../../emulator';
import { LOGGING_SEED } from './logging-seed';
import { connectedService, freshDatabase, send, testClock } from './org';

let sf: Emulator;
let db: ExtensionDatabase;
beforeAll(async () => {
  sf = await startEmulator({ port: 0, seed: LOGGING_SEED });
});
afterAll(() => sf.stop());
beforeEach(() => {
  db = freshDatabase();
});
afterEach(() => sf.control.clearFaults());

async function service(over: Partial<Settings> = {}) {
  const connection = await connectedService(sf);
  const clock = testClock(Date.now());
  const badge = {
    text: '',
    setBadgeText: ({ text }: { text: string }) => {
      badge.text = text;
    },
    setBadgeBackgroundColor: () => undefined,
  };
  const alarms = {
    created: [] as Array<[string, number]>,
    create: (name: string, info: { when: number }) => alarms.created.push([name, info.when]),
    clear: () => undefined,
  };
  const base = (await loadSettings()).values;
  const worker = createLoggingWorker({
    db,
    connection: () => connection,
    loadSettings: async () => resolveSettings({ ...base, internalDomains: ['demo-org.example'], ...over }, NO_POLICY),
    alarms,
    badge,
    now: clock.now,
    timing: { settleMs: 0, rideAlongMs: 0, verifyDelayMs: 0 },
  });
  return { worker, badge, alarms, clock };
}

describe('the compose preview', () => {
  it('counts the contacts and leads an email would be logged to, asking Salesforce for unknown addresses', async () => {
    const { worker } = await service();
    const preview = await worker.preview({
      provider: 'gmail',
      mailbox: 'aiko.tanaka@demo-org.example',
      recipients: [
        { email: 'hiroshi.suzuki@sakura-seiki.example' },
        { email: 'mayumi.yoshida@midori-shoji.example' },
        { email: 'nobody@unknown.example' },
        { email: 'colleague@demo-org.example' },
      ],
      on: true,
    });
    expect(preview).toEqual({ mode: 'api', willLog: true, matches: { contacts: 1, leads: 1, newLeads: 0, unresolved: 1 } });
    // Asked once: the next preview of the same recipients is answered from the cache.
    sf.control.resetCalls();
    await worker.preview({
      provider: 'gmail',
      mailbox: 'aiko.tanaka@demo-org.example',
      recipients: [{ email: 'hiroshi.suzuki@sakura-seiki.example' }],
      on: true,
    });
    expect(sf.control.calls().total).toBe(0);
  });

  it('says a lead will be created, and says "internal" without asking anyone', async () => {
    const { worker } = await service({ noMatch: 'createLead' });
    const mailbox = 'aiko.tanaka@demo-org.example';
    const preview = await worker.preview({ provider: 'gmail', mailbox, recipients: [{ email: 'new@prospect.example' }], on: true });
    expect(preview.matches).toEqual({ contacts: 0, leads: 0, newLeads: 1, unresolved: 0 });
    sf.control.resetCalls();
    const internal = await worker.preview({ provider: 'gmail', mailbox, recipients: [{ email: 'boss@demo-org.example' }], on: true });
    expect(internal).toEqual({ mode: 'api', willLog: false, reason: 'internalOnly' });
    expect(sf.control.calls().total).toBe(0);
  });
});

describe('the compose preview, asked by a page', () => {
  it('asks Salesforce at most ten times in a row for one tab, then once per 15 seconds; other tabs keep their own allowance', async () => {
    const { worker, clock } = await service();
    const ask = (tab: number, n: number) =>
      worker.preview(
        {
          provider: 'gmail',
          mailbox: 'aiko.tanaka@demo-org.example',
          recipients: [{ email: `probe${tab}-${n}@target.example` }],
          on: true,
        },
        tab,
      );
    sf.control.resetCalls();
    for (let n = 0; n < 10; n++) expect((await ask(7, n)).matches).toBeDefined();
    const spent = sf.control.calls().total;
    expect(spent).toBeGreaterThanOrEqual(10);
    // The eleventh new address from that tab gets no counts, and costs no call.
    expect(await ask(7, 10)).toEqual({ mode: 'api', willLog: true });
    expect(sf.control.calls().total).toBe(spent);
    // Another tab is not held back by it.
    expect((await ask(8, 0)).matches).toBeDefined();
    clock.advance(15_000);
    expect((await ask(7, 11)).matches).toBeDefined();
    expect(await ask(7, 12)).toEqual({ mode: 'api', willLog: true });
  });
});

describe('the Activity tab and the badge', () => {
  it('lists logged and failed emails with the instance to link to, counts failures on the badge, and retries', async () => {
    const { worker, badge, clock } = await service();
    const logged = await send(db, clock, { subject: 'Fine', to: ['hiroshi.suzuki@sakura-seiki.example'] });
    await worker.run();
    sf.control.fault({
      method: 'POST',
      path: '/composite',
      status: 400,
      errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
      message: 'No emails on Fridays',
    });
    const failed = await send(db, clock, { subject: 'Refused', to: ['hiroshi.suzuki@sakura-seiki.example'] });
    await worker.run();
    const view = await worker.handlers['activity/list']({ type: 'activity/list' } as Message<'activity/list'>, {
      kind: 'extension',
      provider: null,
    });
    expect(view.instanceUrl).toBe(sf.url);
    expect(view.rows.map((r) => [r.key, r.state])).toEqual([
      [failed, 'failed'],
      [logged, 'logged'],
    ]);
    expect(view.failures).toBe(1);
    expect(badge.text).toBe('1');
    const after = await worker.handlers['activity/retry']({ type: 'activity/retry', key: failed }, { kind: 'extension', provider: null });
    expect(after.rows.find((r) => r.key === failed)?.state).toBe('logged');
    expect(badge.text).toBe('');
  });

  it('assigns an unresolved email to the record the rep found, with its account', async () => {
    const { worker, clock } = await service();
    const key = await send(db, clock, { subject: 'Who?', to: ['someone@unknown.example'] });
    await worker.run();
    expect((await db.activities.get(key))?.state).toBe('unresolved');
    const obrien = sf.org.records('Contact').find((c) => c.LastName === "O'Brien")!;
    const view = await worker.handlers['activity/assign'](
      { type: 'activity/assign', key, person: { id: obrien.Id, type: 'Contact', name: "Liam O'Brien" } },
      { kind: 'extension', provider: null },
    );
    expect(view.rows.find((r) => r.key === key)).toMatchObject({ state: 'logged', matched: [{ id: obrien.Id, type: 'Contact' }] });
    expect(sf.org.records('Task').filter((t) => t.Subject === 'Email: Who?')).toEqual([
      expect.objectContaining({ WhoId: obrien.Id, WhatId: obrien.AccountId }),
    ]);
  });

  it('asks for an alarm while something waits, and runs on it', async () => {
    const { worker, alarms, clock } = await service();
    sf.control.fault({ method: 'POST', path: '/composite', status: 503, times: 1 });
    const key = await send(db, clock, { subject: 'Later', to: ['hiroshi.suzuki@sakura-seiki.example'] });
    await worker.run();
    const [name, when] = alarms.created.at(-1)!;
    expect(name).toBe(OUTBOX_ALARM);
    clock.set(when);
    await worker.onAlarm(OUTBOX_ALARM);
    expect((await db.activities.get(key))?.state).toBe('logged');
  });
});
