/**
 * Task sync and the command center:
 * - API calls, counted by the org emulator, of the real sync engine and Salesforce client: an
 *   idle two-way run, a first sync importing 10,000 tasks, and a whole idle day at the default
 *   interval while nobody works, paced by the worker's scheduler (lib/sync/pace.ts; the emulator's
 *   clock and the engine's move together). These run
 *   in this process: IndexedDB is fake-indexeddb and the extension APIs (storage) are WXT's
 *   fake browser; the engine and the client are the extension's own.
 * - How long the popup takes to show the tasks with 50,000 tasks in the database, as a ratio
 *   to an empty database: the production build in Chromium, median of several opens, timed by
 *   the popup's own `tasks-ready` mark (set when the task list first renders).
 */
import { launchWithExtension } from '../e2e/support/browser';
import { PRODUCTION_EXTENSION_DIR } from './support/build';

const FIRST_SYNC_TASKS = 10_000;
const POPUP_TASKS = 50_000;
const POPUP_OPENS = 15;
const MINUTE = 60_000;

async function apiCalls(): Promise<Record<string, number>> {
  const { IDBFactory, IDBKeyRange } = await import('fake-indexeddb');
  Object.assign(globalThis, { indexedDB: new IDBFactory(), IDBKeyRange });
  const { fakeBrowser } = await import('wxt/testing/fake-browser');
  // The extension's modules read `browser` when they load: the fake one, before they do.
  (globalThis as { browser?: unknown }).browser = fakeBrowser;
  const [
    { startEmulator },
    { signIn, storedSessionOf },
    { openDatabase },
    { SalesforceClient },
    { saveSession },
    { fromClient },
    { taskSyncCycle },
    { createTaskSyncScheduler, TASK_SYNC_ALARM },
    { SETTINGS },
  ] = await Promise.all([
    import('../emulator'),
    import('../emulator/client'),
    import('../../lib/db'),
    import('../../lib/salesforce/client'),
    import('../../lib/salesforce/tokens'),
    import('../../lib/sync/remote'),
    import('../../lib/sync/cycle'),
    import('../../lib/sync/scheduler'),
    import('../../lib/settings'),
  ]);

  const sf = await startEmulator({ port: 0 });
  try {
    await saveSession(storedSessionOf(sf.url, await signIn(sf.url)));
    const remote = fromClient(new SalesforceClient({ hosts: { allowLoopback: true } }));
    const db = openDatabase(`bench-tasks-${Date.now()}`);
    let offset = 0;
    const now = () => Date.now() + offset;
    const pass = (ms: number) => {
      sf.control.advanceClock(ms);
      offset += ms;
    };
    const cycle = async () => {
      sf.control.resetCalls();
      const result = await taskSyncCycle({ db, remote, mode: 'twoWay', now });
      if (!result.ok) throw new Error(`sync failed: ${result.error?.kind} ${result.error?.message}`);
      return sf.control.calls().total;
    };

    sf.control.addRecords({
      Task: Array.from({ length: FIRST_SYNC_TASKS }, (_, i) => ({
        Subject: `Follow-up ${i}`,
        Status: 'Not Started',
        Priority: i % 5 === 0 ? 'High' : 'Normal',
        TaskSubtype: 'Task',
        CreatedDate: '$now-3h',
        LastModifiedDate: '$now-2h',
      })),
    });
    const firstSync = await cycle();
    const imported = await db.tasks.count();
    if (imported < FIRST_SYNC_TASKS) throw new Error(`first sync imported ${imported} tasks`);

    pass(5 * MINUTE);
    const idle = await cycle();

    // A day away from the desk, as the worker's scheduler paces it: its alarm is the only trigger.
    let alarmAt: number | null = null;
    const settings = { taskSync: 'twoWay' as const, taskSyncIntervalMinutes: SETTINGS.taskSyncIntervalMinutes.default };
    const scheduler = createTaskSyncScheduler({
      db,
      remote: () => remote,
      alarms: {
        create: (_name, { when }) => {
          alarmAt = when;
        },
        clear: () => {
          alarmAt = null;
        },
        get: async () => (alarmAt === null ? undefined : { scheduledTime: alarmAt }),
      },
      settings: async () => settings,
      now,
    });
    await scheduler.runNow();
    sf.control.resetCalls();
    const dayEnds = now() + 24 * 60 * MINUTE;
    while (alarmAt !== null && alarmAt <= dayEnds) {
      pass(Math.max(0, alarmAt - now()));
      await scheduler.onAlarm(TASK_SYNC_ALARM);
    }
    const day = sf.control.calls().total;
    db.close();
    return {
      'tasks.api_calls_idle_cycle': idle,
      'tasks.api_calls_first_sync_10000': firstSync,
      'tasks.api_calls_per_day_idle': day,
    };
  } finally {
    await sf.stop();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/**
 * Fills the popup's database with `count` tasks spread over two years around today, half of
 * them done. Plain text for the page: a compiled function would carry helpers the page lacks.
 */
const seedTasks = (count: number) => `new Promise((resolve, reject) => {
  const open = indexedDB.open('sales-activity-sync');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const db = open.result;
    const tx = db.transaction('tasks', 'readwrite');
    const store = tx.objectStore('tasks');
    const pad = (n) => String(n).padStart(2, '0');
    for (let i = 0; i < ${count}; i++) {
      const d = new Date();
      d.setDate(d.getDate() + (i % 730) - 365);
      store.put({
        id: 'bench-' + i,
        subject: 'Benchmark task ' + i,
        details: 'Follow up on the proposal and confirm the delivery schedule.',
        dueDate: d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()),
        priority: i % 7 === 0 ? 'High' : 'Normal',
        done: i % 2,
        createdAt: 0,
        updatedAt: 0,
        pendingSync: 0,
        deleted: 0,
        rev: 1,
        scope: 'local',
      });
    }
    tx.oncomplete = () => { db.close(); resolve(); };
    tx.onerror = () => reject(tx.error);
  };
})`;

/**
 * Two browser profiles side by side, one with an empty database and one with 50,000 tasks;
 * opens alternate between them so that both see the same load on the machine.
 */
async function popupOpen(): Promise<Record<string, number>> {
  const [empty, full] = [
    await launchWithExtension({ extensionDir: PRODUCTION_EXTENSION_DIR }),
    await launchWithExtension({ extensionDir: PRODUCTION_EXTENSION_DIR }),
  ];
  try {
    const timeOpen = async (browser: typeof empty) => {
      const page = await browser.open('popup.html');
      await page.locator('.agenda[data-ready]').waitFor();
      const ms = await page.evaluate(() => performance.getEntriesByName('tasks-ready')[0]?.startTime ?? Number.NaN);
      await page.close();
      return ms;
    };
    // The first open creates the database and warms the caches.
    await timeOpen(empty);
    await timeOpen(full);
    const seeder = await full.open('popup.html');
    await seeder.evaluate(seedTasks(POPUP_TASKS));
    const seeded = await seeder.evaluate(
      `new Promise((resolve) => { const o = indexedDB.open('sales-activity-sync'); o.onsuccess = () => { const r = o.result.transaction('tasks').objectStore('tasks').count(); r.onsuccess = () => resolve(r.result); }; })`,
    );
    if (seeded !== POPUP_TASKS) throw new Error(`seeded ${seeded} tasks`);
    await seeder.close();
    await timeOpen(full);
    const times = { empty: [] as number[], full: [] as number[] };
    for (let i = 0; i < POPUP_OPENS; i++) {
      times.empty.push(await timeOpen(empty));
      times.full.push(await timeOpen(full));
    }
    const [emptyMs, fullMs] = [median(times.empty), median(times.full)];
    return {
      'tasks.popup_open_ms_0': Number(emptyMs.toFixed(1)),
      'tasks.popup_open_ms_50000': Number(fullMs.toFixed(1)),
      'tasks.popup_open_ms_50000_vs_0': Number((fullMs / emptyMs).toFixed(2)),
    };
  } finally {
    await empty.close();
    await full.close();
  }
}

export async function run(): Promise<Record<string, number | string>> {
  return { ...(await apiCalls()), ...(await popupOpen()) };
}
