/**
 * The outbox runner against the org emulator: every setting combination ends with the records
 * Salesforce would hold, and failures end with nothing lost and nothing doubled.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExtensionDatabase } from '@/lib/db';
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
