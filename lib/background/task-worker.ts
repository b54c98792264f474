/**
 * The worker's task features, wired to the browser: the task sync alarm and its settings,
 * reminders (alarms, notifications, re-armed at every start), and the sending of logged calls.
 * `startTaskWorker` registers its listeners synchronously, as a service worker must;
 * `resumeTaskWork` catches up after a restart.
 */
import { browser } from 'wxt/browser';
import { database } from '../db';
import { salesforceClient } from '../salesforce/worker-connection';
import { loadSettings, watchSettings } from '../settings';
import { fromClient } from '../sync/remote';
import { createTaskSyncScheduler, type TaskSyncScheduler } from '../sync/scheduler';
import { rearmReminders, showReminder, taskIdOfNotification, taskIdOfReminderAlarm, taskPagePath } from '../tasks/reminders';
import { loggingWorker } from './logging-worker';
import { createTaskHandlers } from './task-handlers';

const REMINDER_SYNC_WAIT_MS = 10_000;

const iconUrl = () => browser.runtime.getURL('/icon/128.png');

let scheduler: TaskSyncScheduler | undefined;
function taskSync(): TaskSyncScheduler {
  scheduler ??= createTaskSyncScheduler({
    db: database(),
    remote: () => fromClient(salesforceClient()),
    alarms: browser.alarms,
    settings: async () => (await loadSettings()).values,
  });
  return scheduler;
}

/** Logged calls go to Salesforce with sent email, through the one outbox runner. */
function sendCalls(): Promise<void> {
  return loggingWorker().run();
}

export function taskHandlers() {
  return createTaskHandlers({
    db: database(),
    alarms: browser.alarms,
    loadSettings,
    taskSync: taskSync(),
    client: salesforceClient,
    sendCalls: () => void sendCalls().catch((error) => console.error('Sending logged calls failed', error)),
  });
}

/**
 * Reminders are shown one pass at a time. A background started by a reminder's alarm also
 * re-arms at start, which shows the reminders that came due; run together, both would read the
 * task before either noted it shown, and show it twice (Firefox then drops the notification or
 * shows it twice: docs/firefox.md).
 */
let reminderTurn: Promise<unknown> = Promise.resolve();
function inReminderTurn<T>(work: () => Promise<T>): Promise<T> {
  const run = reminderTurn.then(work, work);
  reminderTurn = run.catch(() => undefined);
  return run;
}

async function onAlarm(name: string): Promise<void> {
  const taskId = taskIdOfReminderAlarm(name);
  if (taskId) {
    if (!(await loadSettings()).values.reminders) return;
    // What the reminder shows is synced first (a task done in Salesforce is not reminded of), but
    // a slow Salesforce does not hold the reminder back for long.
    const synced = taskSync()
      .noteActivity('reminderDue')
      .catch((error) => console.error('Task sync failed', error));
    await Promise.race([synced, new Promise((resolve) => setTimeout(resolve, REMINDER_SYNC_WAIT_MS))]);
    await inReminderTurn(() => showReminder(database(), browser.notifications, taskId, iconUrl(), Date.now()));
    return;
  }
  await taskSync().onAlarm(name);
}

/** Opens the task a reminder is about, in a small window like the popup. */
async function openTask(notificationId: string): Promise<void> {
  const taskId = taskIdOfNotification(notificationId);
  if (!taskId) return;
  await browser.notifications.clear(notificationId);
  await browser.windows.create({
    url: browser.runtime.getURL(taskPagePath(taskId) as '/popup.html'),
    type: 'popup',
    width: 420,
    height: 640,
  });
}

async function remindersFollow(enabled: boolean): Promise<void> {
  const db = database();
  if (enabled) {
    await inReminderTurn(() => rearmReminders(db, { alarms: browser.alarms, notifications: browser.notifications }, iconUrl(), Date.now()));
    return;
  }
  for (const alarm of await browser.alarms.getAll()) if (taskIdOfReminderAlarm(alarm.name)) await browser.alarms.clear(alarm.name);
}

/** The reminders setting as last seen, so a change can be followed (undefined until first read). */
let remindersOn: boolean | undefined;

export function startTaskWorker(): void {
  const log = (what: string) => (error: unknown) => console.error(what, error);
  browser.alarms.onAlarm.addListener((alarm) => void onAlarm(alarm.name).catch(log(`Alarm ${alarm.name} failed`)));
  browser.notifications.onClicked.addListener((id) => void openTask(id).catch(log('Opening a task failed')));
  watchSettings(({ values }) => {
    void taskSync().configure(values).catch(log('Scheduling task sync failed'));
    if (remindersOn !== undefined && remindersOn !== values.reminders)
      void remindersFollow(values.reminders).catch(log('Reminders failed'));
    remindersOn = values.reminders;
  });
}

/**
 * What a new worker catches up on, once it has answered what woke it: reminders re-armed, calls
 * queued before it stopped, and a task sync its predecessor left unfinished.
 */
export async function resumeTaskWork(): Promise<void> {
  const { values } = await loadSettings();
  remindersOn ??= values.reminders;
  if (values.reminders) await remindersFollow(true);
  await sendCalls();
  await taskSync().onStart();
}
