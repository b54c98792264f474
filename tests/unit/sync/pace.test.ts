/**
 * Adaptive task sync against the org emulator, on a simulated clock shared by the extension and
 * the org: a rep at work sees every Salesforce edit within their interval; a rep away costs few
 * calls a day; coming back (the popup opening, a task written) syncs at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Settings } from '@/lib/settings';
import { afterRun, FIRST_PACE, IDLE_BACKOFF_MAX, nextRunIn, WORKING_WINDOW_MS } from '@/lib/sync/pace';
import { createTaskSyncScheduler, TASK_SYNC_ALARM, type TaskSyncScheduler } from '@/lib/sync/scheduler';
import { type SyncWorld, startWorld, stopWorld } from './support';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('the pace', () => {
  const quiet = { ok: true, pulled: 0, pushed: 0, removed: 0 };
  it('doubles the wait after each quiet run while the rep is away, up to its cap', () => {
    let pace = FIRST_PACE;
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      waits.push(nextRunIn(pace, 5, 0) / MINUTE);
      pace = afterRun(pace, quiet, 0);
    }
    expect(waits).toEqual([5, 10, 20, 5 * IDLE_BACKOFF_MAX, 5 * IDLE_BACKOFF_MAX, 5 * IDLE_BACKOFF_MAX]);
  });

  it('starts over after a run that moved anything, and keeps the interval while the rep works', () => {
    const backedOff = { lastActivityAt: null, quietRuns: 3 };
    expect(nextRunIn(afterRun(backedOff, { ...quiet, pulled: 1 }, 0), 5, 0)).toBe(5 * MINUTE);
    expect(nextRunIn(afterRun(backedOff, { ...quiet, ok: false }, 0), 5, 0)).toBe(5 * 8 * MINUTE);
    const working = { lastActivityAt: 1_000, quietRuns: 3 };
    expect(nextRunIn(working, 5, 1_000 + WORKING_WINDOW_MS - 1)).toBe(5 * MINUTE);
    expect(nextRunIn(working, 5, 1_000 + WORKING_WINDOW_MS)).toBe(5 * 8 * MINUTE);
  });
});

describe('task sync on a simulated day', () => {
  let w: SyncWorld;
  let offset = 0;
  let alarmAt: number | null = null;
  let s: TaskSyncScheduler;
  const settings: Pick<Settings, 'taskSync' | 'taskSyncIntervalMinutes'> = { taskSync: 'twoWay', taskSyncIntervalMinutes: 5 };
  const now = () => Date.now() + offset;
  const pass = (ms: number) => {
    w.sf.control.advanceClock(ms);
    offset += ms;
  };
  const alarms = {
    create: (_: string, { when }: { when: number }) => {
      alarmAt = when;
    },
    clear: () => {
      alarmAt = null;
    },
    get: async () => (alarmAt === null ? undefined : { scheduledTime: alarmAt }),
  };

  beforeEach(async () => {
    w = await startWorld();
    offset = 0;
    alarmAt = null;
    s = createTaskSyncScheduler({ db: w.db, remote: () => w.remote, alarms, settings: async () => settings, now });
    w.sf.control.addRecords({
      Task: Array.from({ length: 3 }, (_, i) => ({ Subject: `Call ${i}`, Status: 'Not Started', Priority: 'Normal', TaskSubtype: 'Task' })),
    });
    await s.configure(settings);
    await s.runNow();
  });
  afterEach(() => stopWorld(w));

  /** Moves the clock to the alarm if it comes before `until`, and runs it; false when it does not. */
  async function alarmBefore(until: number): Promise<boolean> {
    if (alarmAt === null || alarmAt > until) return false;
    pass(Math.max(0, alarmAt - now()));
    await s.onAlarm(TASK_SYNC_ALARM);
    return true;
  }

  it('while the rep works, an edit made in Salesforce is in the extension within the interval', async () => {
    const ids = w.sf.org.records('Task').map((t) => t.Id as string);
    const subjects = async () => new Set((await w.db.tasks.toArray()).map((t) => t.subject));
    const latencies: number[] = [];
    const end = now() + 3 * HOUR;
    let edit = 0;
    // The rep starts the day in the popup and opens it every 25 minutes; someone edits a task in
    // Salesforce every 7 minutes.
    await s.noteActivity('popupOpened');
    let nextEdit = now() + 7 * MINUTE;
    let nextPopup = now() + 25 * MINUTE;
    while (now() < end) {
      const nextStep = Math.min(nextEdit, nextPopup);
      while (await alarmBefore(nextStep - 1)) {}
      pass(nextStep - now());
      if (nextStep === nextPopup) {
        await s.noteActivity('popupOpened');
        nextPopup += 25 * MINUTE;
        continue;
      }
      const subject = `Edited ${edit++}`;
      const editedAt = now();
      await w.user.sobject('Task').update({ Id: ids[edit % ids.length] as string, Subject: subject });
      nextEdit += 7 * MINUTE;
      // The edit has arrived by the first run after it; the popup may bring it sooner.
      while (!(await subjects()).has(subject)) {
        const before = now();
        if (!(await alarmBefore(Math.min(nextPopup, end + HOUR)))) {
          pass(nextPopup - now());
          await s.noteActivity('popupOpened');
          nextPopup += 25 * MINUTE;
        }
        if (now() === before) throw new Error('the clock did not move');
      }
      latencies.push(now() - editedAt);
    }
    expect(latencies.length).toBeGreaterThan(20);
    // The interval, and the few milliseconds of real time the runs themselves take.
    expect(Math.max(...latencies)).toBeLessThanOrEqual(settings.taskSyncIntervalMinutes * MINUTE + 5_000);
  });

  it('a rep away for a day costs few calls, and coming back syncs at once', async () => {
    w.resetCalls();
    const end = now() + 24 * HOUR;
    while (await alarmBefore(end)) {}
    const callsAway = w.calls();
    expect(callsAway).toBeLessThanOrEqual(110);
    expect(callsAway).toBeGreaterThan(0);
    // (The real clock moves a little during a run, hence "close to".)
    expect((alarmAt ?? 0) - now()).toBeGreaterThan(settings.taskSyncIntervalMinutes * IDLE_BACKOFF_MAX * MINUTE - 5_000);

    pass(end - now());
    const id = w.sf.org.records('Task')[0]?.Id as string;
    await w.user.sobject('Task').update({ Id: id, Subject: 'Moved to Friday' });
    await s.noteActivity('popupOpened');
    expect((await w.db.tasks.toArray()).map((t) => t.subject)).toContain('Moved to Friday');
    // Back at work: the next run is one interval away again.
    expect((alarmAt ?? 0) - now()).toBeLessThanOrEqual(settings.taskSyncIntervalMinutes * MINUTE);
    expect((alarmAt ?? 0) - now()).toBeGreaterThan(settings.taskSyncIntervalMinutes * MINUTE - 5_000);
  });
});
