/**
 * How often task sync asks Salesforce. The org's daily API allowance is shared by the whole team,
 * so a rep who is not working costs little: while nothing changes and the rep does nothing with
 * tasks, each quiet run doubles the wait, up to IDLE_BACKOFF_MAX times the rep's interval. While
 * the rep works (the popup opened, a task written or a call logged in the last WORKING_WINDOW_MS)
 * runs stay at most one interval apart, so an edit made in Salesforce reaches the popup within
 * the interval; the popup opening, a task edit and a due reminder sync at once besides.
 * docs/performance.md has the figures.
 */

export interface SyncPace {
  /** When the rep last did something with tasks, or null when never seen. */
  lastActivityAt: number | null;
  /** Runs in a row that brought and sent nothing while the rep was away. */
  quietRuns: number;
}

export const FIRST_PACE: SyncPace = { lastActivityAt: null, quietRuns: 0 };
export const WORKING_WINDOW_MS = 30 * 60_000;
export const IDLE_BACKOFF_MAX = 8;

const MINUTE = 60_000;

export const isWorking = (pace: SyncPace, now: number) => pace.lastActivityAt !== null && now - pace.lastActivityAt < WORKING_WINDOW_MS;

/** How long after a run (or now) the next one is due, in ms. */
export function nextRunIn(pace: SyncPace, intervalMinutes: number, now: number): number {
  const interval = intervalMinutes * MINUTE;
  if (isWorking(pace, now)) return interval;
  return interval * Math.min(2 ** pace.quietRuns, IDLE_BACKOFF_MAX);
}

/** The pace after a run: a run that moved anything, or one while the rep works, starts over. */
export function afterRun(pace: SyncPace, run: { ok: boolean; pulled: number; pushed: number; removed: number }, now: number): SyncPace {
  if (!run.ok) return pace;
  const moved = run.pulled + run.pushed + run.removed > 0;
  return { ...pace, quietRuns: moved || isWorking(pace, now) ? 0 : pace.quietRuns + 1 };
}

export const afterActivity = (pace: SyncPace, now: number): SyncPace => ({ ...pace, lastActivityAt: now, quietRuns: 0 });
