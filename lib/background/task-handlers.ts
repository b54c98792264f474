/**
 * The worker's answers to the command center's messages: task writes (with their reminders),
 * "Sync now", and logging calls. Built from explicit dependencies so tests can run them with
 * fakeBrowser's alarms and the org emulator.
 */
import { checkCall } from '../calls/model';
import { queueCall } from '../calls/queue';
import { rememberPerson, searchPeople } from '../calls/search';
import type { ExtensionDatabase, LocalTask } from '../db';
import { type Handlers, MessageError } from '../messages';
import { ownerOf } from '../outbox/plan';
import type { SalesforceClient } from '../salesforce/client';
import type { ResolvedSettings } from '../settings';
import type { TaskSyncScheduler } from '../sync/scheduler';
import { readStatus } from '../sync/status';
import { checkNewTask, checkTaskChanges } from '../tasks/model';
import { type Alarms, syncReminder } from '../tasks/reminders';
import { createTask, deleteTask, setTaskDone, TaskNotFound, UNDO_WINDOW_MS, undoDelete, updateTask } from '../tasks/store';

export interface TaskHandlerDeps {
  db: ExtensionDatabase;
  alarms: Alarms;
  loadSettings: () => Promise<ResolvedSettings>;
  taskSync: Pick<TaskSyncScheduler, 'runNow' | 'noteActivity'>;
  client: () => SalesforceClient;
  /** Starts sending queued calls (does not wait for it). */
  sendCalls: () => void;
  now?: () => number;
}

export const TASK_MESSAGES = [
  'tasks/create',
  'tasks/update',
  'tasks/setDone',
  'tasks/delete',
  'tasks/undoDelete',
  'taskSync/syncNow',
  'taskSync/opened',
  'calls/searchPeople',
  'calls/log',
] as const;
type TaskMessages = (typeof TASK_MESSAGES)[number];

const invalid = (message: string) => new MessageError({ kind: 'invalidMessage', message });

export function createTaskHandlers(deps: TaskHandlerDeps): Pick<Handlers, TaskMessages> {
  const now = deps.now ?? Date.now;

  /** Runs a task write; a task that is gone becomes the error kind the popup explains. */
  const write = async (id: string, work: () => Promise<LocalTask>): Promise<LocalTask> => {
    try {
      const task = await work();
      await syncReminder(deps.alarms, task, (await deps.loadSettings()).values.reminders, now());
      // The write goes to Salesforce now, not on the next alarm; the answer does not wait for it.
      void deps.taskSync.noteActivity('taskWritten').catch((error) => console.error('Task sync failed', error));
      return task;
    } catch (error) {
      if (error instanceof TaskNotFound) throw new MessageError({ kind: 'taskNotFound', message: `task ${id} is gone`, field: 'id' });
      throw error;
    }
  };

  return {
    'tasks/create': async ({ task }) => {
      const checked = checkNewTask(task);
      if (!checked.ok) throw invalid(`task.${checked.field} is not valid (${checked.problem})`);
      const { values } = await deps.loadSettings();
      return write('new', () => createTask(deps.db, checked.value, { now: now(), syncOn: values.taskSync !== 'off' }));
    },
    'tasks/update': async ({ id, changes }) => {
      const checked = checkTaskChanges(changes);
      if (!checked.ok) throw invalid(`task.${checked.field} is not valid (${checked.problem})`);
      return write(id, () => updateTask(deps.db, id, checked.value, now()));
    },
    'tasks/setDone': ({ id, done }) => write(id, () => setTaskDone(deps.db, id, done, now())),
    'tasks/delete': async ({ id }) => {
      const task = await write(id, () => deleteTask(deps.db, id, now()));
      return { undoUntil: (task.deletedAt ?? now()) + UNDO_WINDOW_MS };
    },
    // Possible for as long as the deletion has not been sent (the sync waits out the undo window first).
    'tasks/undoDelete': ({ id }) => write(id, () => undoDelete(deps.db, id, now())),
    'taskSync/syncNow': async () => {
      deps.sendCalls();
      await deps.taskSync.runNow();
      return readStatus(deps.db);
    },
    'taskSync/opened': async () => {
      void deps.taskSync.noteActivity('popupOpened').catch((error) => console.error('Task sync failed', error));
      return null;
    },
    'calls/searchPeople': async ({ query }) => {
      const found = await searchPeople(deps.client(), query);
      if (!found.ok) throw new MessageError({ kind: 'salesforce', message: found.error.message, salesforce: found.error.kind });
      return found.value;
    },
    'calls/log': async ({ call }) => {
      const checked = checkCall(call, now());
      if (!checked.ok) throw invalid(`call.${checked.field} is not valid (${checked.problem})`);
      const session = await deps.client().currentSession();
      const activity = await queueCall(deps.db, checked.value, now(), undefined, session ? ownerOf(session) : undefined);
      await rememberPerson(deps.db, checked.value.who, now());
      deps.sendCalls();
      return { key: activity.key };
    },
  };
}
