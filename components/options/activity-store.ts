/**
 * The Activity tab's view of logging. It never calls Salesforce: it asks the worker
 * (`activity/*`, and `calls/searchPeople` to find a record to assign) and reloads whenever the
 * worker says Activity rows changed.
 */
import { create } from 'zustand';
import type { PersonMatch } from '@/lib/calls/search';
import { type ExtensionError, extensionErrorOf } from '@/lib/messages';
import type { ActivityView } from '@/lib/outbox/activity-actions';
import { storage } from '@/lib/storage';
import { askWorker } from '../worker';

/** Written by the worker (lib/background/logging-worker.ts) whenever Activity rows change. */
const ACTIVITY_CHANGED_KEY = 'local:activityChanged';

export interface ActivityStore {
  status: 'loading' | 'ready' | 'failed';
  view: ActivityView | null;
  /** The row whose action (retry, assign) is under way. */
  busy: string | null;
  error: ExtensionError | null;
  load(): Promise<void>;
  retry(key: string): Promise<void>;
  assign(key: string, person: PersonMatch): Promise<void>;
  /** For a row captured for another org: log it to the connected org, or not at all. */
  choose(key: string, choice: 'logHere' | 'discard'): Promise<void>;
  search(query: string): Promise<PersonMatch[]>;
  follow(): () => void;
}

export const useActivityStore = create<ActivityStore>()((set, get) => {
  async function act(key: string, ask: () => Promise<ActivityView>) {
    set({ busy: key, error: null });
    try {
      set({ view: await ask(), status: 'ready' });
    } catch (error) {
      set({ error: extensionErrorOf(error) });
    } finally {
      set({ busy: null });
    }
  }
  return {
    status: 'loading',
    view: null,
    busy: null,
    error: null,
    async load() {
      try {
        set({ view: await askWorker('activity/list', {}), status: 'ready' });
      } catch {
        set({ status: get().view ? 'ready' : 'failed' });
      }
    },
    retry: (key) => act(key, () => askWorker('activity/retry', { key })),
    assign: (key, person) =>
      act(key, () =>
        askWorker('activity/assign', {
          key,
          person: { id: person.id, type: person.type, name: person.name, ...(person.email ? { email: person.email } : {}) },
        }),
      ),
    choose: (key, choice) => act(key, () => askWorker('activity/choose', { key, choice })),
    search: (query) => askWorker('calls/searchPeople', { query }),
    follow() {
      return storage.watch(ACTIVITY_CHANGED_KEY, () => void get().load());
    },
  };
});
