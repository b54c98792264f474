/**
 * When task sync runs, in the worker: on its alarm every `taskSyncIntervalMinutes` while the
 * setting is on, when the rep asks ("Sync now"), and at worker start when a run was cut short.
 * One run at a time; a request during a run waits for it and gets its outcome.
 */
import type { ExtensionDatabase } from '../db';
import type { Settings } from '../settings';
import { type CycleResult, type TaskSyncMode, taskSyncCycle } from './cycle';
import type { TaskSyncRemote } from './remote';
import { readStatus } from './status';

export const TASK_SYNC_ALARM = 'taskSync';

export interface SchedulerDeps {
  db: ExtensionDatabase;
  remote: () => TaskSyncRemote;
  alarms: {
    create(name: string, info: { periodInMinutes: number; delayInMinutes?: number }): Promise<void> | void;
    clear(name: string): Promise<boolean> | Promise<void> | void;
    get(name: string): Promise<{ periodInMinutes?: number } | undefined>;
  };
  settings: () => Promise<Pick<Settings, 'taskSync' | 'taskSyncIntervalMinutes'>>;
  now?: () => number;
}

export interface TaskSyncScheduler {
  /** Follows the settings: arms, re-times or clears the alarm. */
  configure(settings: Pick<Settings, 'taskSync' | 'taskSyncIntervalMinutes'>): Promise<void>;
  /** Runs once now (or joins the run in progress); null when sync is off. */
  runNow(): Promise<CycleResult | null>;
  onAlarm(name: string): Promise<void>;
  /** At worker start: a run whose worker died mid-way is resumed at once. */
  onStart(): Promise<void>;
}

export function createTaskSyncScheduler(deps: SchedulerDeps): TaskSyncScheduler {
  const now = deps.now ?? Date.now;
  let running: Promise<CycleResult | null> | null = null;

  const run = async (): Promise<CycleResult | null> => {
    const settings = await deps.settings();
    if (settings.taskSync === 'off') return null;
    return taskSyncCycle({ db: deps.db, remote: deps.remote(), mode: settings.taskSync as TaskSyncMode, now });
  };

  const runNow = () => {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    async configure({ taskSync, taskSyncIntervalMinutes }) {
      if (taskSync === 'off') {
        await deps.alarms.clear(TASK_SYNC_ALARM);
        return;
      }
      const existing = await deps.alarms.get(TASK_SYNC_ALARM);
      // Re-creating the alarm would restart its period: only when the interval changed.
      if (existing?.periodInMinutes === taskSyncIntervalMinutes) return;
      await deps.alarms.create(TASK_SYNC_ALARM, { periodInMinutes: taskSyncIntervalMinutes, delayInMinutes: taskSyncIntervalMinutes });
      // Switching sync on starts a run right away (an alarm cannot: Chrome makes it wait at least 30 seconds).
      if (!existing) void runNow().catch((error) => console.error('Task sync failed', error));
    },
    runNow,
    async onAlarm(name) {
      if (name === TASK_SYNC_ALARM) await runNow();
    },
    async onStart() {
      await this.configure(await deps.settings());
      // A fresh worker runs nothing yet: a status still saying "running" is a run its predecessor left unfinished.
      if ((await readStatus(deps.db)).running) await runNow();
    },
  };
}
