/**
 * Sync switched off and on again: deletions from Salesforce's 15-day history, the full
 * reconciliation when the gap is longer, and a first sync cut short and resumed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taskSyncCycle } from '@/lib/sync/cycle';
import { readState, readStatus } from '@/lib/sync/status';
import { type SyncWorld, startWorld, stopWorld } from './support';

let w: SyncWorld;
let offset = 0;
beforeEach(async () => {
  w = await startWorld();
  offset = 0;
});
afterEach(() => stopWorld(w));

const DAY = 86_400_000;
/** Time passes for the org and for the browser alike. */
const wait = (ms: number) => {
  w.sf.control.advanceClock(ms);
  offset += ms;
};
const sync = () => taskSyncCycle({ db: w.db, remote: w.remote, mode: 'twoWay', now: () => Date.now() + offset });
const add = (subjects: string[]) =>
  w.sf.control.addRecords({
    Task: subjects.map((Subject) => ({ Subject, Status: 'Not Started', Priority: 'Normal', TaskSubtype: 'Task' })),
  });
const sfIdOf = (subject: string) => w.sf.org.records('Task').find((t) => t.Subject === subject)?.Id as string;
const localSubjects = async () => (await w.db.tasks.toArray()).map((t) => t.subject).sort();

describe('switching sync back on', () => {
  beforeEach(async () => {
    add(['Stays', 'Deleted while off', 'Edited while off', 'Deleted much later']);
    await sync();
    expect(await localSubjects()).toEqual(['Deleted much later', 'Deleted while off', 'Edited while off', 'Stays']);
  });

  it('removes tasks deleted in Salesforce while it was off, from the 15 days of deletion history', async () => {
    wait(4 * DAY);
    await w.user.sobject('Task').destroy(sfIdOf('Deleted while off'));
    await w.user.sobject('Task').update({ Id: sfIdOf('Edited while off'), Subject: 'Edited in Salesforce' });
    wait(6 * DAY);
    w.resetCalls();
    const result = await sync();
    expect(result).toMatchObject({ ok: true, removed: 1, pulled: 1 });
    expect(await localSubjects()).toEqual(['Deleted much later', 'Edited in Salesforce', 'Stays']);
    expect(w.calls()).toBe(1);
  });

  it('compares every id when the gap is longer than the deletion history, and still loses nothing', async () => {
    wait(16 * DAY);
    await w.user.sobject('Task').destroy(sfIdOf('Deleted much later'));
    wait(60_000);
    const result = await sync();
    expect(result).toMatchObject({ ok: true, removed: 1 });
    expect(await localSubjects()).toEqual(['Deleted while off', 'Edited while off', 'Stays']);
    expect((await readState(w.db))?.reconcile).toBe(false);
    // Back on the deletion window: the next idle run is one call again.
    wait(2 * 60_000);
    w.resetCalls();
    expect((await sync()).ok).toBe(true);
    expect(w.calls()).toBe(1);
  });
});

describe('a first sync cut short', () => {
  it('resumes where it stopped, without duplicates', async () => {
    add(Array.from({ length: 4500 }, (_, i) => `Imported ${i}`));
    w.sf.control.fault({ method: 'GET', path: '/query', status: 503 });
    const cut = await sync();
    expect(cut).toMatchObject({ ok: false, error: { kind: 'salesforceDown' } });
    expect(await w.db.tasks.count()).toBe(2000);
    expect((await readState(w.db))?.imported).toBe(false);
    const resumed = await sync();
    expect(resumed.ok).toBe(true);
    expect(await w.db.tasks.count()).toBe(4500);
    expect(new Set((await w.db.tasks.toArray()).map((t) => t.sfId)).size).toBe(4500);
    expect((await readStatus(w.db)).importProgress).toBeNull();
  }, 60_000);

  it('says so when Salesforce ends the session for good, and keeps the work', async () => {
    w.sf.control.expireSessions();
    w.sf.control.revokeRefreshTokens();
    const result = await sync();
    expect(result).toMatchObject({ ok: false, error: { kind: 'reconnectNeeded' } });
    expect((await readStatus(w.db)).last?.error?.kind).toBe('reconnectNeeded');
  });
});
