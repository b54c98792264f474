/**
 * Task sync against the org emulator: what reaches Salesforce, what comes back, what it costs,
 * and what survives an interrupted run.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalTask } from '@/lib/db';
import { taskSyncCycle } from '@/lib/sync/cycle';
import { readStatus } from '@/lib/sync/status';
import { localDate } from '@/lib/tasks/model';
import { createTask, deleteTask, setTaskDone, UNDO_WINDOW_MS, updateTask } from '@/lib/tasks/store';
import { faultOnNextWrite, type SyncWorld, startWorld, stopWorld } from './support';

let w: SyncWorld;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(() => stopWorld(w));

const today = () => localDate(Date.now());
const input = (subject: string, extra: Partial<Parameters<typeof createTask>[1]> = {}) => ({
  subject,
  details: '',
  dueDate: today(),
  remindAt: null,
  priority: 'Normal' as const,
  whoId: '',
  whoName: '',
  ...extra,
});
const sync = (mode: 'twoWay' | 'oneWay' = 'twoWay', now?: () => number) =>
  taskSyncCycle({ db: w.db, remote: w.remote, mode, ...(now ? { now } : {}) });
const sfTasks = () => w.sf.org.records('Task');
const localTasks = async () => (await w.db.tasks.toArray()).filter((t) => t.deleted === 0);
const bySubject = async (subject: string) => (await w.db.tasks.toArray()).find((t) => t.subject === subject) as LocalTask;
const addSalesforceTasks = (records: Array<Record<string, unknown>>) =>
  w.sf.control.addRecords({ Task: records.map((r) => ({ Status: 'Not Started', Priority: 'Normal', TaskSubtype: 'Task', ...r })) });

describe('the first two-way sync', () => {
  it('imports Salesforce tasks created or updated in the last 24 hours, and only those', async () => {
    addSalesforceTasks([
      { Subject: 'New yesterday', CreatedDate: '$now-20h', LastModifiedDate: '$now-20h', ActivityDate: '$today' },
      { Subject: 'Old but edited today', CreatedDate: '$now-9d', LastModifiedDate: '$now-2h', Status: 'In Progress' },
      { Subject: 'Old and untouched', CreatedDate: '$now-9d', LastModifiedDate: '$now-3d' },
      { Subject: 'A logged email', CreatedDate: '$now-1h', LastModifiedDate: '$now-1h', TaskSubtype: 'Email', Status: 'Completed' },
    ]);
    const result = await sync();
    expect(result.ok).toBe(true);
    const local = await localTasks();
    expect(local.map((t) => t.subject).sort()).toEqual(['New yesterday', 'Old but edited today']);
    const edited = await bySubject('Old but edited today');
    expect(edited).toMatchObject({ source: 'salesforce', scope: 'sync', done: 0, sfStatus: 'In Progress', pendingSync: 0 });
    expect((await bySubject('New yesterday')).dueDate).toBe(today());
  });

  it('does not send tasks that were here before sync was switched on', async () => {
    await createTask(w.db, input('Made before sync'), { now: Date.now(), syncOn: false });
    await sync();
    await sync();
    expect(sfTasks()).toEqual([]);
    expect((await bySubject('Made before sync')).pendingSync).toBe(0);
  });

  it('imports 10,000 tasks in at most 10 calls, and shows its progress', async () => {
    addSalesforceTasks(
      Array.from({ length: 10_000 }, (_, i) => ({ Subject: `Imported ${i}`, CreatedDate: '$now-1h', LastModifiedDate: '$now-1h' })),
    );
    w.resetCalls();
    const result = await sync();
    expect(result.ok).toBe(true);
    expect(w.calls()).toBeLessThanOrEqual(10);
    expect(await w.db.tasks.count()).toBe(10_000);
    expect((await readStatus(w.db)).last).toMatchObject({ ok: true, pulled: 10_000 });
  }, 60_000);
});

describe('later two-way syncs', () => {
  beforeEach(async () => {
    await sync();
  });

  it('cost one API call when nothing changed', async () => {
    w.resetCalls();
    const result = await sync();
    expect(result).toMatchObject({ ok: true, pulled: 0, pushed: 0, removed: 0 });
    expect(w.calls()).toBe(1);
  });

  it('send a task made here, once, and take nothing back from the echo', async () => {
    await createTask(w.db, input('Send the quote', { priority: 'High', details: 'v2 pricing' }), { now: Date.now(), syncOn: true });
    await sync();
    expect(sfTasks()).toHaveLength(1);
    expect(sfTasks()[0]).toMatchObject({
      Subject: 'Send the quote',
      Priority: 'High',
      Description: 'v2 pricing',
      Status: 'Not Started',
      ActivityDate: today(),
      OwnerId: w.userId,
    });
    const task = await bySubject('Send the quote');
    expect(task.sfId).toBe(sfTasks()[0]?.Id);
    expect(task.pendingSync).toBe(0);
    const again = await sync();
    expect(again).toMatchObject({ ok: true, pulled: 0, pushed: 0 });
    expect(sfTasks()).toHaveLength(1);
  });

  it('send edits, completions and deletions made here', async () => {
    const a = await createTask(w.db, input('Edit me'), { now: Date.now(), syncOn: true });
    const b = await createTask(w.db, input('Complete me'), { now: Date.now(), syncOn: true });
    const c = await createTask(w.db, input('Delete me'), { now: Date.now(), syncOn: true });
    await sync();
    await updateTask(w.db, a.id, { subject: 'Edited', dueDate: '2027-01-15' }, Date.now());
    await setTaskDone(w.db, b.id, true, Date.now());
    await deleteTask(w.db, c.id, Date.now() - UNDO_WINDOW_MS - 1);
    await sync();
    const subjects = Object.fromEntries(sfTasks().map((t) => [t.Subject, t]));
    expect(subjects.Edited).toMatchObject({ ActivityDate: '2027-01-15' });
    expect(subjects['Complete me']).toMatchObject({ Status: 'Completed', IsClosed: true });
    expect(subjects['Delete me']).toBeUndefined();
    expect(await w.db.tasks.get(c.id)).toBeUndefined();
  });

  it('wait out the undo window before sending a deletion', async () => {
    const task = await createTask(w.db, input('Deleted by mistake'), { now: Date.now(), syncOn: true });
    await sync();
    await deleteTask(w.db, task.id, Date.now());
    await sync();
    expect(sfTasks().map((t) => t.Subject)).toEqual(['Deleted by mistake']);
  });

  it('bring back changes made in Salesforce, keeping a status the extension does not write', async () => {
    const task = await createTask(w.db, input('Shared'), { now: Date.now(), syncOn: true });
    await sync();
    const sfId = (await w.db.tasks.get(task.id))?.sfId as string;
    await w.user.sobject('Task').update({ Id: sfId, Subject: 'Shared (renamed)', Status: 'In Progress', Priority: 'High' });
    await sync();
    expect(await w.db.tasks.get(task.id)).toMatchObject({
      subject: 'Shared (renamed)',
      done: 0,
      priority: 'High',
      sfStatus: 'In Progress',
      pendingSync: 0,
    });
    await updateTask(w.db, task.id, { details: 'added here' }, Date.now());
    await sync();
    expect(w.sf.org.get(sfId)).toMatchObject({ Status: 'In Progress', Description: 'added here' });
  });

  it('remove here a task deleted in Salesforce', async () => {
    const task = await createTask(w.db, input('Gone soon'), { now: Date.now(), syncOn: true });
    await sync();
    await w.user.sobject('Task').destroy((await w.db.tasks.get(task.id))?.sfId as string);
    // Salesforce's deletion log covers whole minutes that have passed.
    const later = () => Date.now() + 2 * 60_000;
    w.sf.control.advanceClock(2 * 60_000);
    const result = await sync('twoWay', later);
    expect(result).toMatchObject({ ok: true, removed: 1 });
    expect(await w.db.tasks.get(task.id)).toBeUndefined();
  });

  it('writes in collections of at most 200 records', async () => {
    for (let i = 0; i < 450; i++) await createTask(w.db, input(`Bulk ${i}`), { now: Date.now(), syncOn: true });
    w.resetCalls();
    await sync();
    expect(sfTasks()).toHaveLength(450);
    // The read, then one composite carrying three collections (200 + 200 + 50).
    expect(w.calls()).toBe(2);
    expect(await w.db.tasks.where('pendingSync').equals(1).count()).toBe(0);
  }, 30_000);
});

describe('one-way sync', () => {
  it('sends tasks made here and takes nothing back', async () => {
    addSalesforceTasks([{ Subject: 'Only in Salesforce', CreatedDate: '$now-1h', LastModifiedDate: '$now-1h' }]);
    const task = await createTask(w.db, input('Mine'), { now: Date.now(), syncOn: true });
    await sync('oneWay');
    const sfId = (await w.db.tasks.get(task.id))?.sfId as string;
    expect(w.sf.org.get(sfId)).toMatchObject({ Subject: 'Mine' });
    await w.user.sobject('Task').update({ Id: sfId, Subject: 'Renamed there' });
    await sync('oneWay');
    expect((await localTasks()).map((t) => t.subject)).toEqual(['Mine']);
  });

  it('costs no API call when nothing changed here', async () => {
    await sync('oneWay');
    w.resetCalls();
    await sync('oneWay');
    expect(w.calls()).toBe(0);
  });
});

describe('interrupted syncs', () => {
  beforeEach(async () => {
    await sync();
  });

  it('never create a task twice when the answer to the create was lost', async () => {
    await createTask(w.db, input('Exactly once'), { now: Date.now(), syncOn: true });
    const interrupted = await taskSyncCycle({ db: w.db, remote: faultOnNextWrite(w, { dropAfterCommit: true }), mode: 'twoWay' });
    expect(interrupted.ok).toBe(false);
    expect(sfTasks()).toHaveLength(1);
    const resumed = await sync();
    expect(resumed.ok).toBe(true);
    expect(sfTasks()).toHaveLength(1);
    expect((await bySubject('Exactly once')).sfId).toBe(sfTasks()[0]?.Id);
    expect(await localTasks()).toHaveLength(1);
  });

  it('lose nothing while Salesforce is down, and carry on when it is back', async () => {
    await createTask(w.db, input('Written offline'), { now: Date.now(), syncOn: true });
    w.sf.control.fault({ path: '/composite', status: 503, times: 0 });
    const down = await sync();
    expect(down).toMatchObject({ ok: false, error: { kind: 'salesforceDown' } });
    expect((await readStatus(w.db)).last?.error?.kind).toBe('salesforceDown');
    w.sf.control.clearFaults();
    await sync();
    expect(sfTasks().map((t) => t.Subject)).toEqual(['Written offline']);
  });

  it('refresh an expired session and go on', async () => {
    await createTask(w.db, input('After expiry'), { now: Date.now(), syncOn: true });
    w.sf.control.expireSessions();
    expect((await sync()).ok).toBe(true);
    expect(sfTasks().map((t) => t.Subject)).toEqual(['After expiry']);
  });

  it('resume after a lost write answer without undoing an edit made since', async () => {
    const task = await createTask(w.db, input('First'), { now: Date.now(), syncOn: true });
    await sync();
    await updateTask(w.db, task.id, { subject: 'Second' }, Date.now());
    expect((await taskSyncCycle({ db: w.db, remote: faultOnNextWrite(w, { dropAfterCommit: true }), mode: 'twoWay' })).ok).toBe(false);
    const sfId = (await w.db.tasks.get(task.id))?.sfId as string;
    expect(w.sf.org.get(sfId)?.Subject).toBe('Second');
    // The rep changes their mind before the next run.
    await updateTask(w.db, task.id, { subject: 'First' }, Date.now());
    await sync();
    expect(w.sf.org.get(sfId)?.Subject).toBe('First');
    expect((await w.db.tasks.get(task.id))?.subject).toBe('First');
  });
});
