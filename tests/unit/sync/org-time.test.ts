/**
 * Task sync on Salesforce's terms: its clock (a browser clock minutes off skips no edit and
 * doubles no task), its replication windows (more than a minute), its deletion history
 * (reconcile only when Salesforce says it is gone) and its archive and reassignment (a task
 * that left the rep's list without being deleted stays here, and the rep is told).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taskSyncCycle } from '@/lib/sync/cycle';
import { readState, readStatus } from '@/lib/sync/status';
import { createTask } from '@/lib/tasks/store';
import { faultOnNextWrite, type SyncWorld, startWorld, stopWorld } from './support';

let w: SyncWorld;
/** How far the browser's clock is from the org's. */
let skew = 0;
/** Time that passed for both. */
let passed = 0;
beforeEach(async () => {
  w = await startWorld();
  skew = 0;
  passed = 0;
});
afterEach(() => stopWorld(w));

const MINUTE = 60_000;
const DAY = 86_400_000;
const browserNow = () => Date.now() + passed + skew;
const wait = (ms: number) => {
  w.sf.control.advanceClock(ms);
  passed += ms;
};
const sync = () => taskSyncCycle({ db: w.db, remote: w.remote, mode: 'twoWay', now: browserNow });
const add = (records: Array<Record<string, unknown>>) =>
  w.sf.control.addRecords({ Task: records.map((r) => ({ Status: 'Not Started', Priority: 'Normal', TaskSubtype: 'Task', ...r })) });
const local = async (subject: string) => (await w.db.tasks.toArray()).find((t) => t.subject === subject);
const input = (subject: string) => ({
  subject,
  details: '',
  dueDate: '2026-12-24',
  remindAt: null,
  priority: 'Normal' as const,
  whoId: '',
  whoName: '',
});

describe("Salesforce's clock, not the browser's", () => {
  it('with the browser five minutes ahead, an edit made in Salesforce just after the first sync comes through', async () => {
    skew = 5 * MINUTE;
    const { first } = add([{ '@ref': 'first', Subject: 'Before' }]);
    await sync();
    expect(await local('Before')).toBeDefined();
    // Edited a minute later on Salesforce's clock: still before the browser's "now" at the first sync.
    wait(MINUTE);
    await w.user.sobject('Task').update({ Id: first!, Subject: 'Edited in Salesforce' });
    wait(MINUTE);
    await sync();
    expect(await local('Edited in Salesforce')).toBeDefined();
  });

  it('with the browser ahead, a create whose answer was lost is found again, not sent twice', async () => {
    skew = 15 * MINUTE;
    await sync();
    await createTask(w.db, input('Made here'), { now: browserNow(), syncOn: true });
    // The write is committed, then the connection drops before the answer.
    const lossy = faultOnNextWrite(w, { dropAfterCommit: true });
    expect((await taskSyncCycle({ db: w.db, remote: lossy, mode: 'twoWay', now: browserNow })).ok).toBe(false);
    expect(w.sf.org.records('Task').filter((t) => t.Subject === 'Made here')).toHaveLength(1);
    wait(2 * MINUTE);
    expect((await sync()).ok).toBe(true);
    expect(w.sf.org.records('Task').filter((t) => t.Subject === 'Made here')).toHaveLength(1);
    expect((await local('Made here'))?.sfId).toBe(w.sf.org.records('Task').find((t) => t.Subject === 'Made here')!.Id);
  });
});

describe('replication windows', () => {
  it('never asks for a window of a minute or less, and an idle run stays one call without reconciling', async () => {
    await sync();
    for (let i = 0; i < 4; i++) {
      wait(61_000);
      w.resetCalls();
      expect(await sync()).toMatchObject({ ok: true });
      expect(w.calls()).toBe(1);
      expect((await readState(w.db))?.reconcile).toBe(false);
    }
    expect(w.sf.control.calls().byEndpoint).not.toHaveProperty('GET /query');
  });

  it('reconciles once when Salesforce says the deletion history is gone, then goes back to windows', async () => {
    const { gone } = add([{ '@ref': 'gone', Subject: 'Deleted and purged' }, { Subject: 'Stays' }]);
    await sync();
    await w.user.sobject('Task').destroy(gone!);
    w.sf.control.emptyRecycleBin();
    wait(3 * MINUTE);
    expect(await sync()).toMatchObject({ ok: true, removed: 1 });
    expect(await local('Deleted and purged')).toBeUndefined();
    expect(await local('Stays')).toBeDefined();
    wait(3 * MINUTE);
    w.resetCalls();
    await sync();
    expect(w.calls()).toBe(1);
  });
});

describe('tasks that leave the rep’s list without being deleted', () => {
  it('keeps an archived and a reassigned task here, unlinked, and says what happened', async () => {
    const other = w.sf.org.records('User').find((u) => u.Id !== w.userId)!.Id;
    const { done, given } = add([
      { '@ref': 'done', Subject: 'Done long ago', Status: 'Completed', ActivityDate: '$today' },
      { '@ref': 'given', Subject: 'Given away' },
    ]);
    await sync();
    await w.user.sobject('Task').update({ Id: given!, OwnerId: other });
    // A year and more passes: the completed task is archived, and the deletion history cannot cover the gap.
    wait(370 * DAY);
    const result = await sync();
    expect(result).toMatchObject({ ok: true, removed: 0 });
    expect(w.sf.org.get(done!)).toMatchObject({ IsArchived: true, IsDeleted: false });
    for (const subject of ['Done long ago', 'Given away']) {
      const task = await local(subject);
      expect(task).toMatchObject({ scope: 'local', deleted: 0 });
      expect(task?.sfId).toBeUndefined();
    }
    expect((await readStatus(w.db)).conflicts.map((c) => [c.subject, c.kept]).sort()).toEqual([
      ['Done long ago', 'archivedInSalesforce'],
      ['Given away', 'reassignedInSalesforce'],
    ]);
  });
});
