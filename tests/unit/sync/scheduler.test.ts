/** When sync runs: each of the three settings, the alarm, Sync now, and a run left unfinished. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Settings } from '@/lib/settings';
import { createTaskSyncScheduler, TASK_SYNC_ALARM } from '@/lib/sync/scheduler';
import { IDLE_STATUS, readStatus, STATUS_KEY } from '@/lib/sync/status';
import { localDate } from '@/lib/tasks/model';
import { createTask } from '@/lib/tasks/store';
import { type SyncWorld, startWorld, stopWorld } from './support';

const MINUTE = 60_000;

let w: SyncWorld;
let settings: Pick<Settings, 'taskSync' | 'taskSyncIntervalMinutes'>;
beforeEach(async () => {
  w = await startWorld();
  settings = { taskSync: 'off', taskSyncIntervalMinutes: 5 };
});
afterEach(() => stopWorld(w));

const scheduler = () =>
  createTaskSyncScheduler({ db: w.db, remote: () => w.remote, alarms: fakeBrowser.alarms, settings: async () => settings });
const newTask = (subject: string) =>
  createTask(
    w.db,
    { subject, details: '', dueDate: localDate(Date.now()), remindAt: null, priority: 'Normal', whoId: '', whoName: '' },
    { now: Date.now(), syncOn: settings.taskSync !== 'off' },
  );

describe('the task sync setting', () => {
  it('"Do not sync": no alarm, no run, no API call', async () => {
    const s = scheduler();
    await s.configure(settings);
    await newTask('Private');
    w.resetCalls();
    expect(await s.runNow()).toBeNull();
    expect(await fakeBrowser.alarms.get(TASK_SYNC_ALARM)).toBeUndefined();
    expect(w.calls()).toBe(0);
    expect(w.sf.org.records('Task')).toEqual([]);
  });

  it('"Two-way": a run as soon as it is switched on, then an alarm at the chosen interval, changes both ways', async () => {
    w.sf.control.addRecords({ Task: [{ Subject: 'From Salesforce', Status: 'Not Started', Priority: 'Normal', TaskSubtype: 'Task' }] });
    settings = { taskSync: 'twoWay', taskSyncIntervalMinutes: 15 };
    await newTask('From here');
    const s = scheduler();
    await s.configure(settings);
    const armedAt = Date.now();
    expect((await fakeBrowser.alarms.get(TASK_SYNC_ALARM))?.scheduledTime).toBeGreaterThanOrEqual(armedAt + 15 * MINUTE - 1000);
    // The run that switching on started (joined, not a second one).
    await s.runNow();
    expect(
      w.sf.org
        .records('Task')
        .map((t) => t.Subject)
        .sort(),
    ).toEqual(['From Salesforce', 'From here']);
    expect((await w.db.tasks.toArray()).map((t) => t.subject).sort()).toEqual(['From Salesforce', 'From here']);
    await w.user
      .sobject('Task')
      .update({ Id: w.sf.org.records('Task').find((t) => t.Subject === 'From Salesforce')?.Id as string, Subject: 'Renamed there' });
    await s.onAlarm(TASK_SYNC_ALARM);
    expect((await w.db.tasks.toArray()).map((t) => t.subject).sort()).toEqual(['From here', 'Renamed there']);
  });

  it('"One-way": tasks go to Salesforce and nothing comes back', async () => {
    settings = { taskSync: 'oneWay', taskSyncIntervalMinutes: 5 };
    const s = scheduler();
    w.sf.control.addRecords({ Task: [{ Subject: 'Stays in Salesforce', Status: 'Not Started', Priority: 'Normal', TaskSubtype: 'Task' }] });
    await newTask('Goes there');
    await s.runNow();
    expect(
      w.sf.org
        .records('Task')
        .map((t) => t.Subject)
        .sort(),
    ).toEqual(['Goes there', 'Stays in Salesforce']);
    expect((await w.db.tasks.toArray()).map((t) => t.subject)).toEqual(['Goes there']);
  });

  it('switched off again, clears its alarm; a new interval re-times it', async () => {
    settings = { taskSync: 'twoWay', taskSyncIntervalMinutes: 5 };
    const s = scheduler();
    settings = { ...settings, taskSyncIntervalMinutes: 30 };
    await s.configure(settings);
    await s.runNow();
    const due = async () => (await fakeBrowser.alarms.get(TASK_SYNC_ALARM))?.scheduledTime ?? 0;
    expect((await due()) - Date.now()).toBeGreaterThan(29 * MINUTE);
    // A shorter interval brings the next run forward (to twice it: the run brought nothing); a longer one leaves it.
    await s.configure({ ...settings, taskSyncIntervalMinutes: 5 });
    const forward = await due();
    expect(forward - Date.now()).toBeLessThanOrEqual(10 * MINUTE);
    await s.configure({ ...settings, taskSyncIntervalMinutes: 60 });
    expect(await due()).toBe(forward);
    await s.configure({ ...settings, taskSync: 'off' });
    expect(await fakeBrowser.alarms.get(TASK_SYNC_ALARM)).toBeUndefined();
    await s.runNow();
  });
});

describe('runs', () => {
  it('share one run between "Sync now" and the alarm', async () => {
    settings = { taskSync: 'twoWay', taskSyncIntervalMinutes: 5 };
    const s = scheduler();
    await s.runNow();
    w.resetCalls();
    await Promise.all([s.runNow(), s.onAlarm(TASK_SYNC_ALARM), s.runNow()]);
    expect(w.calls()).toBe(1);
  });

  it('resume at worker start a run whose worker died', async () => {
    settings = { taskSync: 'twoWay', taskSyncIntervalMinutes: 5 };
    await newTask('Half sent');
    await w.db.values.put({ key: STATUS_KEY, value: { ...IDLE_STATUS, running: true, heartbeat: Date.now() - 1000 } });
    await scheduler().onStart();
    expect(w.sf.org.records('Task').map((t) => t.Subject)).toEqual(['Half sent']);
    expect((await readStatus(w.db)).running).toBe(false);
  });
});
