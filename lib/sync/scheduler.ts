/**
 * When task sync runs, in the worker: on its alarm while the setting is on, paced by pace.ts
 * (every `taskSyncIntervalMinutes` while the rep works, backing off while nothing changes), at
 * once when the rep opens the popup, writes a task or a reminder is due, when the rep asks
 * ("Sync now"), and at worker start when a run was cut short. One run at a time; a request
 * during a run waits for it and gets its outcome.
 */
import type { ExtensionDatabase } from '../db';
import type { Settings } from '../settings';
import { type CycleResult, type TaskSyncMode, taskSyncCycle } from './cycle';
import { afterActivity, afterRun, FIRST_PACE, nextRunIn, type SyncPace } from './pace';
import type { TaskSyncRemote } from './remote';
import { readStatus } from './status';

export const TASK_SYNC_ALARM = 'taskSync';
const PACE_KEY = 'taskSync.pace';
/** The popup opening again within this of a finished run shows that run's result without another. */
const FRESH_ENOUGH_MS = 60_000;

type SyncSettings = Pick<Settings, 'taskSync' | 'taskSyncIntervalMinutes'>;

export interface SchedulerDeps {
  db: ExtensionDatabase;
  remote: () => TaskSyncRemote;
  alarms: {
    create(name: string, info: { when: number }): Promise<void> | void;
    clear(name: string): Promise<boolean> | Promise<void> | void;
    get(name: string): Promise<{ scheduledTime: number } | undefined>;
  };
  settings: () => Promise<SyncSettings>;
  now?: () => number;
}

/** What the rep did that makes a sync worth running now. */
export type TaskActivity = 'popupOpened' | 'taskWritten' | 'reminderDue';

export interface TaskSyncScheduler {
  /** Follows the settings: arms, re-times or clears the alarm. */
  configure(settings: SyncSettings): Promise<void>;
  /** Runs once now (or joins the run in progress); null when sync is off. */
  runNow(): Promise<CycleResult | null>;
  /**
   * Syncs now (the popup follows the database), or joins the run in progress. The popup opening
   * and task writes also mark the rep as working, which keeps runs an interval apart.
   */
  noteActivity(activity: TaskActivity): Promise<CycleResult | null>;
  onAlarm(name: string): Promise<void>;
  /** At worker start: a run whose worker died mid-way is resumed at once. */
  onStart(): Promise<void>;
}

export function createTaskSyncScheduler(deps: SchedulerDeps): TaskSyncScheduler {
  const now = deps.now ?? Date.now;
  let running: Promise<CycleResult | null> | null = null;
  /** A task was written during a run, which may have read it before the write: run again after. */
  let again = false;
  let lastRunEndedAt = Number.NEGATIVE_INFINITY;

  const readPace = async (): Promise<SyncPace> => ((await deps.db.values.get(PACE_KEY))?.value as SyncPace | undefined) ?? FIRST_PACE;
  const writePace = (pace: SyncPace) => deps.db.values.put({ key: PACE_KEY, value: pace });

  async function arm(settings: SyncSettings, pace: SyncPace): Promise<void> {
    await deps.alarms.create(TASK_SYNC_ALARM, { when: now() + nextRunIn(pace, settings.taskSyncIntervalMinutes, now()) });
  }

  const run = async (): Promise<CycleResult | null> => {
    const settings = await deps.settings();
    if (settings.taskSync === 'off') return null;
    const result = await taskSyncCycle({ db: deps.db, remote: deps.remote(), mode: settings.taskSync as TaskSyncMode, now });
    const pace = afterRun(await readPace(), result, now());
    await writePace(pace);
    await arm(settings, pace);
    lastRunEndedAt = now();
    return result;
  };

  const runNow = (): Promise<CycleResult | null> => {
    running ??= run().finally(() => {
      running = null;
      if (again) {
        again = false;
        void runNow().catch((error) => console.error('Task sync failed', error));
      }
    });
    return running;
  };

  return {
    async configure(settings) {
      if (settings.taskSync === 'off') {
        await deps.alarms.clear(TASK_SYNC_ALARM);
        return;
      }
      const existing = await deps.alarms.get(TASK_SYNC_ALARM);
      // Keep a due time that fits the interval (re-arming would push it back); a shorter interval brings it forward.
      const due = now() + nextRunIn(await readPace(), settings.taskSyncIntervalMinutes, now());
      if (existing && existing.scheduledTime <= due) return;
      await deps.alarms.create(TASK_SYNC_ALARM, { when: due });
      // Switching sync on starts a run right away (an alarm cannot: Chrome makes it wait at least 30 seconds).
      if (!existing) void runNow().catch((error) => console.error('Task sync failed', error));
    },
    runNow,
    async noteActivity(activity) {
      // A reminder is the clock's doing, not the rep's: it syncs, but does not count as working.
      if (activity !== 'reminderDue') await writePace(afterActivity(await readPace(), now()));
      if (running) {
        if (activity === 'taskWritten') again = true;
        return running;
      }
      if (activity === 'popupOpened' && now() - lastRunEndedAt < FRESH_ENOUGH_MS) return null;
      return runNow();
    },
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
