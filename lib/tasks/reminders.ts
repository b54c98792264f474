/**
 * Reminders: one alarm per task with a reminder time, a notification when it rings, and the
 * task opened when the rep clicks it. Alarms do not reliably survive a browser restart, so the
 * worker re-arms them from the database at every start, and shows (once) any reminder that came
 * due while the browser was closed.
 */
import type { ExtensionDatabase, LocalTask } from '../db';
import { t } from '../mail/ui-text';
import { localDate, localTime } from './model';

const ALARM_PREFIX = 'reminder:';
const NOTIFICATION_PREFIX = 'task:';
/** A reminder missed by more than this while the browser was closed is stale news; it is not shown. */
const MISSED_LIMIT_MS = 24 * 60 * 60_000;

/** The parts of the browser's alarms and notifications APIs reminders use (tests pass fakeBrowser's). */
export interface Alarms {
  create(name: string, info: { when: number }): Promise<void> | void;
  clear(name: string): Promise<boolean> | Promise<void> | void;
}
export interface Notifications {
  create(id: string, options: { type: 'basic'; iconUrl: string; title: string; message: string; priority?: number }): Promise<string>;
}

export const reminderAlarmName = (taskId: string) => `${ALARM_PREFIX}${taskId}`;
export const taskIdOfReminderAlarm = (name: string) => (name.startsWith(ALARM_PREFIX) ? name.slice(ALARM_PREFIX.length) : null);
export const taskIdOfNotification = (id: string) => (id.startsWith(NOTIFICATION_PREFIX) ? id.slice(NOTIFICATION_PREFIX.length) : null);

/** Whether a task's reminder is still to be shown. */
export function reminderDue(task: LocalTask | undefined): task is LocalTask & { remindAt: number } {
  return !!task && task.remindAt !== undefined && task.done === 0 && task.deleted === 0 && (task.notifiedAt ?? 0) < task.remindAt;
}

/** Arms, moves or clears the alarm of one task after it changed. */
export async function syncReminder(alarms: Alarms, task: LocalTask, enabled: boolean, now: number): Promise<void> {
  const name = reminderAlarmName(task.id);
  if (enabled && reminderDue(task) && task.remindAt > now) await alarms.create(name, { when: task.remindAt });
  else await alarms.clear(name);
}

/** Shows a task's reminder and notes that it was shown. */
export async function showReminder(
  db: ExtensionDatabase,
  notifications: Notifications,
  taskId: string,
  iconUrl: string,
  now: number,
): Promise<boolean> {
  const task = await db.tasks.get(taskId);
  if (!reminderDue(task)) return false;
  const due =
    task.dueDate === '' ? localTime(task.remindAt) : task.dueDate === localDate(task.remindAt) ? localTime(task.remindAt) : task.dueDate;
  await notifications.create(`${NOTIFICATION_PREFIX}${task.id}`, {
    type: 'basic',
    iconUrl,
    title: task.subject,
    message: task.whoName ? t('reminders.messageWithWho', [due, task.whoName]) : t('reminders.message', [due]),
    priority: task.priority === 'High' ? 2 : 0,
  });
  await db.tasks.update(task.id, { notifiedAt: now });
  return true;
}

/**
 * At worker start: arms every future reminder and shows the ones missed in the last day.
 * Reads the reminder index from a day ago onwards only.
 */
export async function rearmReminders(
  db: ExtensionDatabase,
  api: { alarms: Alarms; notifications: Notifications },
  iconUrl: string,
  now: number,
): Promise<{ armed: number; shown: number }> {
  const tasks = await db.tasks
    .where('remindAt')
    .aboveOrEqual(now - MISSED_LIMIT_MS)
    .filter(reminderDue)
    .toArray();
  let armed = 0;
  let shown = 0;
  for (const task of tasks) {
    if ((task.remindAt ?? 0) > now) {
      await api.alarms.create(reminderAlarmName(task.id), { when: task.remindAt as number });
      armed++;
    } else if (await showReminder(db, api.notifications, task.id, iconUrl, now)) {
      shown++;
    }
  }
  return { armed, shown };
}

/** The page that opens a task from its notification. */
export const taskPagePath = (taskId: string) => `/popup.html#task=${encodeURIComponent(taskId)}`;
