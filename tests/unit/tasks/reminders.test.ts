/** Reminders: armed with the task, cleared when it no longer applies, re-armed at every worker start. */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { database, type LocalTask } from '@/lib/db';
import { sendToWorker } from '@/lib/messages';
import { changeSettings } from '@/lib/settings';
import { addDays, localDate, localMoment } from '@/lib/tasks/model';
import { rearmReminders, reminderAlarmName, showReminder, syncReminder, taskIdOfNotification } from '@/lib/tasks/reminders';
import { connectPageToWorker } from '../support/worker-runtime';

const HOUR = 3_600_000;
const now = Date.now();
const icon = 'chrome-extension://id/icon/128.png';
const api = { alarms: fakeBrowser.alarms, notifications: fakeBrowser.notifications };

function task(id: string, remindAt: number | undefined, extra: Partial<LocalTask> = {}): LocalTask {
  return {
    id,
    subject: `Task ${id}`,
    details: '',
    dueDate: localDate(remindAt ?? now),
    ...(remindAt === undefined ? {} : { remindAt }),
    priority: 'Normal',
    done: 0,
    createdAt: 0,
    updatedAt: 0,
    pendingSync: 0,
    deleted: 0,
    ...extra,
  };
}

const notifications = () => fakeBrowser.notifications.getAllCreateOptions() as Record<string, { title: string; message: string }>;

beforeEach(async () => {
  await Promise.all(database().tables.map((t) => t.clear()));
});

describe('a task reminder', () => {
  it('is armed for a future time, and cleared once the task is done, deleted or has no time', async () => {
    await syncReminder(api.alarms, task('a', now + HOUR), true, now);
    expect((await fakeBrowser.alarms.get(reminderAlarmName('a')))?.scheduledTime).toBe(now + HOUR);
    for (const change of [{ done: 1 as const }, { deleted: 1 as const }, { remindAt: undefined }]) {
      await syncReminder(api.alarms, task('a', now + HOUR), true, now);
      await syncReminder(api.alarms, { ...task('a', now + HOUR), ...change }, true, now);
      expect(await fakeBrowser.alarms.get(reminderAlarmName('a'))).toBeUndefined();
    }
    await syncReminder(api.alarms, task('a', now + HOUR), false, now);
    expect(await fakeBrowser.alarms.get(reminderAlarmName('a'))).toBeUndefined();
  });

  it('shows the task, its time and its contact, once', async () => {
    const at = localMoment(localDate(now), '09:30') as number;
    await database().tasks.add(task('b', at, { subject: 'Call Emily', whoName: 'Emily Harper' }));
    expect(await showReminder(database(), api.notifications, 'b', icon, at)).toBe(true);
    expect(notifications()['task:b']).toMatchObject({ title: 'Call Emily', message: 'Due 09:30 · Emily Harper' });
    expect(taskIdOfNotification('task:b')).toBe('b');
    expect(await showReminder(database(), api.notifications, 'b', icon, at + 1)).toBe(false);
  });
});

describe('at worker start', () => {
  it('re-arms future reminders and shows, once, those missed in the last day', async () => {
    await database().tasks.bulkAdd([
      task('future', now + 2 * HOUR),
      task('missed', now - 2 * HOUR),
      task('stale', now - 30 * HOUR),
      task('finished', now - HOUR, { done: 1 }),
      task('shown', now - HOUR, { notifiedAt: now - HOUR }),
    ]);
    expect(await rearmReminders(database(), api, icon, now)).toEqual({ armed: 1, shown: 1 });
    expect((await fakeBrowser.alarms.getAll()).map((a) => a.name)).toEqual([reminderAlarmName('future')]);
    expect(Object.keys(notifications())).toEqual(['task:missed']);
    // The browser restarts again: nothing is shown twice.
    await fakeBrowser.notifications.clear('task:missed');
    expect(await rearmReminders(database(), api, icon, now + 1000)).toEqual({ armed: 1, shown: 0 });
  });
});

describe('through the worker', () => {
  it('follows the task: set on create, moved on edit, cleared on completion', async () => {
    await changeSettings({ reminders: true });
    connectPageToWorker('popup.html');
    const tomorrow = addDays(localDate(now), 1);
    const at = localMoment(tomorrow, '10:00') as number;
    const input = {
      subject: 'Renewal call',
      details: '',
      dueDate: tomorrow,
      remindAt: at,
      priority: 'Normal' as const,
      whoId: '',
      whoName: '',
    };
    const created = await sendToWorker(fakeBrowser.runtime, 'tasks/create', { task: input });
    expect((await fakeBrowser.alarms.get(reminderAlarmName(created.id)))?.scheduledTime).toBe(at);
    await sendToWorker(fakeBrowser.runtime, 'tasks/update', { id: created.id, changes: { remindAt: at + HOUR } });
    expect((await fakeBrowser.alarms.get(reminderAlarmName(created.id)))?.scheduledTime).toBe(at + HOUR);
    await sendToWorker(fakeBrowser.runtime, 'tasks/setDone', { id: created.id, done: true });
    expect(await fakeBrowser.alarms.get(reminderAlarmName(created.id))).toBeUndefined();
  });
});
